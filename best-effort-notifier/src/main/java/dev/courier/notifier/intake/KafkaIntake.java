package dev.courier.notifier.intake;

import dev.courier.notifier.NotifierException;
import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.api.ConflictException;
import dev.courier.notifier.api.InvalidRequestException;
import dev.courier.notifier.api.NotFoundException;
import dev.courier.notifier.notification.Intake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * Consumes the configured topics and accepts each record as a notification (see {@link RecordTranslator}). Offsets
 * are committed only after the records before them are stored, so a crash re-reads at most the uncommitted ones, and
 * the idempotency key (the record's message id) turns those into the notifications already accepted. When the
 * database is unavailable the partition is rewound and retried with a growing pause; nothing is skipped. A record
 * that can never become a notification (not JSON, too large, unknown or disabled endpoint) is logged with its
 * coordinates, counted in {@code courier.notifier.kafka.rejected} and skipped.
 */
public final class KafkaIntake implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaIntake.class);

    private final NotifierProperties.Kafka settings;
    private final RecordTranslator translator;
    private final Intake intake;
    private final Counter accepted;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public KafkaIntake(NotifierProperties.Kafka settings, Intake intake, long maxBodyBytes, MeterRegistry registry) {
        this.settings = settings;
        this.translator = new RecordTranslator(settings.rules(), maxBodyBytes);
        this.intake = intake;
        this.registry = registry;
        this.accepted = Counter.builder("courier.notifier.kafka.accepted")
                .description("Kafka records accepted as notifications (repeats included)")
                .register(registry);
    }

    @Override
    public synchronized void start() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(translator.topics());
        running = true;
        thread = Thread.ofPlatform().name("notifier-kafka-intake").daemon().start(this::run);
        log.info("Kafka intake consuming {} as group {}", translator.topics(), settings.groupId());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration pause = Duration.ofMillis(200);
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                try {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        accept(record);
                        done.put(
                                new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    pause = Duration.ofMillis(200);
                } catch (NotifierException | DataAccessException e) {
                    log.warn("Storing Kafka records failed, retrying in {}: {}", pause, e.getMessage());
                    rewind(records, done);
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                            ? Duration.ofSeconds(10)
                            : pause.multipliedBy(2);
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        RecordTranslator.Translation translation = translator.translate(record);
        switch (translation) {
            case RecordTranslator.Skip skip -> {}
            case RecordTranslator.Reject reject -> reject(record, reject.reason(), reject.detail());
            case RecordTranslator.Accept accept -> {
                try {
                    intake.accept(accept.submission());
                    accepted.increment();
                } catch (InvalidRequestException e) {
                    reject(record, "invalid", e.getMessage());
                } catch (NotFoundException e) {
                    reject(record, "unknown-endpoint", e.getMessage());
                } catch (ConflictException e) {
                    reject(record, "conflict", e.getMessage());
                }
            }
        }
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
        rejected.computeIfAbsent(
                        reason,
                        r -> Counter.builder("courier.notifier.kafka.rejected")
                                .description("Kafka records that cannot become notifications, skipped")
                                .tag("reason", r)
                                .register(registry))
                .increment();
        log.error(
                "Kafka record {}-{}@{} skipped ({}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                detail);
    }

    /** Sends each partition of the failed batch back to its first record not yet stored. */
    private void rewind(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, OffsetAndMetadata> done) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(partition);
            OffsetAndMetadata stored = done.get(partition);
            long next =
                    stored != null ? stored.offset() : ofPartition.getFirst().offset();
            consumer.seek(partition, next);
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
