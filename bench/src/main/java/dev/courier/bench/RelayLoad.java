package dev.courier.bench;

import static dev.courier.bench.RelayFixtures.batch;
import static dev.courier.bench.RelayRawLimits.record;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The sustained-rate scenario: batches offered at a steady rate to the outbox or the raw producer. */
final class RelayLoad {

    private RelayLoad() {}

    static final Duration TICK = Duration.ofMillis(5);

    static final Duration WARM_UP = Duration.ofSeconds(3);

    /** Writes each batch in one transaction; its commits' times go to {@code commits} while {@code relayed} measures. */
    static BatchWriter outboxWriter(TestDatabase db, Outbox outbox, Arrivals relayed, CommitTimes commits) {
        return batch -> {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                List<UUID> ids = outbox.on(c).publishAll(batch);
                long began = System.nanoTime();
                c.commit();
                ids.forEach(id -> relayed.stamp(id.toString()));
                if (relayed.measuring()) {
                    commits.committed(began, System.nanoTime());
                }
            }
        };
    }

    static BatchWriter rawWriter(KafkaProducer<byte[], byte[]> raw, Arrivals produced) {
        return batch -> {
            for (OutboxMessage message : batch) {
                String id = UUID.randomUUID().toString();
                produced.stamp(id);
                raw.send(record("raw.bench", message, id));
            }
        };
    }

    /** Told of each measured commit: when it began and when it returned ({@link System#nanoTime()}). */
    @FunctionalInterface
    interface CommitTimes {
        CommitTimes NONE = (began, returned) -> {};

        void committed(long began, long returned);
    }

    @FunctionalInterface
    interface BatchWriter {
        void write(List<OutboxMessage> batch) throws Exception;
    }

    /**
     * Offers {@code rate} messages per second for {@code duration} (after a warm-up that is not measured) in one batch
     * per tick, and waits until every measured message arrived.
     */
    static LatencyRecorder sustain(
            int rate, Duration duration, Arrivals watcher, BatchWriter writer, ExecutorService writers)
            throws Exception {
        int perTick = (int) (rate * TICK.toNanos() / 1_000_000_000L);
        LatencyRecorder latencies = new LatencyRecorder();
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        long end = measureFrom + duration.toNanos();
        long before = watcher.received();
        long offered = 0;
        boolean measuring = false;
        List<Future<?>> writes = new ArrayList<>();
        try {
            for (long tick = start; tick < end; tick += TICK.toNanos()) {
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // the load's own pacing
                }
                if (!measuring && System.nanoTime() >= measureFrom) {
                    watcher.measure(latencies);
                    measuring = true;
                }
                List<OutboxMessage> batch = batch(perTick);
                offered += perTick;
                writes.add(writers.submit(() -> {
                    writer.write(batch);
                    return null;
                }));
            }
            // A write that failed would leave the wait below short of messages: fail with its cause instead.
            for (Future<?> write : writes) {
                write.get();
            }
            long expected = offered;
            Waits.awaitTrue(
                    Duration.ofMinutes(2),
                    () -> watcher.received() - before >= expected,
                    () -> String.format(
                            "sustained delivery at %d msg/s (%,d of %,d offered messages seen)",
                            rate, watcher.received() - before, expected));
            latencies.endRound(end - measureFrom);
        } finally {
            watcher.measure(null);
        }
        return latencies;
    }
}
