package dev.courier.relay.support;

import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads one topic from its beginning, without a consumer group, and keeps every record it saw. */
public final class TopicReader implements AutoCloseable {

    public static final int PARTITIONS = 4;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    /** Reads {@code topic} on the shared test broker. */
    public TopicReader(String topic) {
        this(topic, EmbeddedKafka.bootstrapServers());
    }

    public TopicReader(String topic, String bootstrapServers) {
        this(topic, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Reads {@code topic} on the broker {@code client} settings (Kafka's names) reach and log in to. */
    public TopicReader(String topic, Map<String, Object> client) {
        createTopic(topic, client);
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(settings);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            partitions.add(new TopicPartition(topic, i));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // Wait until the broker leads every partition of the new topic (ListOffsets is answered by the leader only).
        // A producer whose first request meets a partition that is not led yet gets NOT_LEADER for that batch while
        // its next in-flight batch may land first, and the broker accepts a new producer's first batch whatever its
        // sequence: the retried first records would then follow later ones and break key order.
        consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    /** Creates {@code topic} with {@link #PARTITIONS} partitions unless it exists. */
    public static void createTopic(String topic, String bootstrapServers) {
        createTopic(topic, Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static void createTopic(String topic, Map<String, Object> client) {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(Set.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until at least {@code count} records arrived, and returns all records seen so far. */
    public List<ConsumerRecord<byte[], byte[]>> awaitAtLeast(int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            poll();
            return records.size() >= count;
        });
        return List.copyOf(records);
    }

    /** Polls briefly and returns all records seen so far. */
    public List<ConsumerRecord<byte[], byte[]>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return List.copyOf(records);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
