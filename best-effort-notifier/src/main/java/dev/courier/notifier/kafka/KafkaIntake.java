package dev.courier.notifier.kafka;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.NotifierException;
import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.StateConflictException;
import dev.courier.notifier.notification.Intake;
import dev.courier.supervision.LoopHealth;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Consumes the configured topics and accepts each record as a notification (see {@link RecordTranslator}). Offsets
 * are committed only after the records before them are stored, so a crash re-reads at most the uncommitted ones, and
 * the idempotency key (the record's message id) turns those into the notifications already accepted. When the
 * database is unavailable the partition is rewound and retried with a growing pause; nothing is skipped. A record
 * that can never become a notification (not JSON, too large, unknown or disabled endpoint, fields the database
 * refuses) is logged with its coordinates, counted in {@code courier.notifier.kafka.rejected} and skipped. The loop
 * is supervised: any other failure is reported in {@link #health()} and the loop restarts on a fresh consumer.
 */
public final class KafkaIntake implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaIntake.class);
    /** Pauses before the n-th restart in a row of the consuming loop: 0.5 s, doubling up to 30 s. */
    private static final IntervalFunction RESTART_PAUSES =
            IntervalFunction.ofExponentialBackoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(30));
    /** Pauses before the n-th retry in a row of storing a batch: 0.2 s, doubling up to 10 s. */
    private static final IntervalFunction STORE_RETRY_PAUSES =
            IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10));
    /** Data errors on one record before it is skipped as unstorable. */
    private static final int UNSTORABLE_ATTEMPTS = 3;

    private final Map<String, Object> settings;
    private final RecordTranslator translator;
    private final Intake intake;
    private final Counter accepted;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final LoopHealth health;
    private final Map<String, Integer> dataFailures = new HashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile KafkaClientMetrics consumerMetrics;
    private volatile Thread thread;
    private volatile boolean running;
    /** A batch was stored since the last restart: the next failure starts a new spell (loop thread only). */
    private boolean storedSinceRestart;

    /**
     * @param settings the consumer's settings ({@link ConsumerSettings#of})
     * @param kafka which topic's records go to which endpoint, and where their message id is
     */
    public KafkaIntake(
            Map<String, Object> settings,
            NotifierProperties.Kafka kafka,
            Intake intake,
            long maxBodyBytes,
            MeterRegistry registry) {
        this.settings = Map.copyOf(settings);
        this.translator = new RecordTranslator(kafka.rules(), kafka.idHeader(), maxBodyBytes);
        this.intake = intake;
        this.registry = registry;
        this.health = new LoopHealth("courier.notifier.loop", "kafka-intake", registry);
        this.accepted = Counter.builder("courier.notifier.kafka.accepted")
                .description("Kafka records accepted as notifications (repeats included)")
                .register(registry);
    }

    @Override
    public synchronized void start() {
        consumer = newConsumer();
        running = true;
        health.started();
        thread = Thread.ofPlatform().name("notifier-kafka-intake").daemon().start(this::run);
        log.info(
                "Kafka intake consuming {} as group {}",
                translator.topics(),
                settings.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    /** A consumer subscribed to the rules' topics, its client metrics ({@code kafka.consumer.*}) bound. */
    private KafkaConsumer<byte[], byte[]> newConsumer() {
        KafkaConsumer<byte[], byte[]> created = new KafkaConsumer<>(settings);
        created.subscribe(translator.topics());
        KafkaClientMetrics metrics = new KafkaClientMetrics(created);
        metrics.bindTo(registry);
        consumerMetrics = metrics;
        return created;
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

    /** The supervised state of the intake loop, for health. */
    public LoopHealth health() {
        return health;
    }

    /**
     * The supervisor: whatever the consuming loop throws, it is counted, reported in health, and the loop starts
     * again on a fresh consumer after a growing pause (uncommitted records are read again; their idempotency keys
     * make that harmless). Only {@link #stop} ends it.
     */
    private void run() {
        int restarts = 0;
        try {
            while (running) {
                try {
                    consume();
                } catch (RuntimeException | LinkageError e) {
                    // WakeupException included: it ends the loop when stopping, and is a failure otherwise.
                    if (!running) {
                        break;
                    }
                    restarts = storedSinceRestart ? 1 : restarts + 1;
                    storedSinceRestart = false;
                    restartAfter(e, Duration.ofMillis(RESTART_PAUSES.apply(restarts)));
                }
            }
        } finally {
            closeQuietly(consumer);
            health.stopped();
        }
    }

    private void restartAfter(Throwable failure, Duration pause) {
        health.failed(failure);
        log.error("Kafka intake failed; restarting its consumer in {}", pause, failure);
        closeQuietly(consumer);
        sleep(pause);
        if (running) {
            consumer = newConsumer();
        }
    }

    private void consume() {
        int storeFailures = 0;
        while (running) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            ConsumerRecord<byte[], byte[]> current = null;
            try {
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    current = record;
                    accept(record);
                    done.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                storeFailures = 0;
                storedSinceRestart = true;
                health.succeeded();
            } catch (NotifierException | DataAccessException e) {
                if (current != null && unstorable(current, e)) {
                    // The database refuses this record itself, again and again: skip it instead of blocking its
                    // partition forever.
                    reject(current, "unstorable", e.getMessage());
                    done.put(
                            new TopicPartition(current.topic(), current.partition()),
                            new OffsetAndMetadata(current.offset() + 1));
                } else {
                    Duration pause = Duration.ofMillis(STORE_RETRY_PAUSES.apply(++storeFailures));
                    log.warn("Storing Kafka records failed, retrying in {}: {}", pause, e.getMessage());
                    sleep(pause);
                }
                rewind(records, done);
            }
            commit(done);
        }
    }

    /** A data error (not a lost connection) on the same record {@value #UNSTORABLE_ATTEMPTS} times in a row. */
    private boolean unstorable(ConsumerRecord<byte[], byte[]> record, RuntimeException failure) {
        if (!(failure instanceof DataIntegrityViolationException)
                && !(failure.getCause() instanceof DataIntegrityViolationException)) {
            dataFailures.clear();
            return false;
        }
        String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
        int failures = dataFailures.merge(coordinates, 1, Integer::sum);
        if (failures >= UNSTORABLE_ATTEMPTS) {
            dataFailures.remove(coordinates);
            return true;
        }
        return false;
    }

    /**
     * Commits what was stored. After a rebalance the commit may fail: the partitions' new owner reads those records
     * again, which their idempotency keys make harmless, so that is no failure of the intake.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> done) {
        if (done.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(done);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.info("Kafka offsets not committed after a rebalance (the records are read again): {}", e.getMessage());
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
                } catch (InvalidInputException e) {
                    reject(record, "invalid", e.getMessage());
                } catch (NoSuchResourceException e) {
                    reject(record, "unknown-endpoint", e.getMessage());
                } catch (StateConflictException e) {
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
            if (!consumer.assignment().contains(partition)) {
                continue; // revoked meanwhile: its new owner starts from the committed offset
            }
            List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(partition);
            OffsetAndMetadata stored = done.get(partition);
            long next =
                    stored != null ? stored.offset() : ofPartition.getFirst().offset();
            consumer.seek(partition, next);
        }
    }

    /** Pauses, but ends early when the intake stops. */
    private void sleep(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        try {
            while (running && System.nanoTime() < end) {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeQuietly(KafkaConsumer<byte[], byte[]> consumer) {
        KafkaClientMetrics metrics = consumerMetrics;
        if (metrics != null) {
            // Removes the meters of this consumer: its replacement binds its own.
            metrics.close();
            consumerMetrics = null;
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("Closing the Kafka consumer failed", e);
        }
    }
}
