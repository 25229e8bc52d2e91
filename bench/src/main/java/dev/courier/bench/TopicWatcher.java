package dev.courier.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes one topic from its end on its own thread, counts records and, for every message id that a writer stamped
 * (after its commit, or before its raw send), records stamp-to-consume latency.
 */
final class TopicWatcher extends Arrivals implements AutoCloseable {

    /**
     * {@code -Dcourier.bench.slow-ms=N}: each measured message slower than N ms is printed with its arrival time, to
     * lay beside the GC logs of the processes (0, the default: none).
     */
    private static final long SLOW_NANOS = Long.getLong("courier.bench.slow-ms", 0) * 1_000_000L;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    TopicWatcher(String bootstrapServers, String topic, int partitions) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5_000));
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        thread = Thread.ofPlatform().name("watch-" + topic).start(this::run);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Header id = record.headers().lastHeader("id");
                    long latency = arrived(id == null ? null : new String(id.value(), StandardCharsets.UTF_8), now);
                    if (SLOW_NANOS > 0 && latency > SLOW_NANOS) {
                        System.err.printf(
                                "slow message: %s arrived %s after %.1f ms (partition %d, offset %d)%n",
                                record.topic(), Instant.now(), latency / 1e6, record.partition(), record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join();
    }
}
