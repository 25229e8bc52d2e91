package dev.courier.relay.support;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxException;
import dev.courier.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The stream {@link KeyOrder} checks, written in the background: one transaction per round with one message per key,
 * paced so that faults injected meanwhile fall in its middle.
 */
public final class KeyedStream {

    private final DataSource dataSource;
    private final Outbox outbox;
    private final String aggregateType;
    private final int keys;
    private final int rounds;
    private final Duration pace;
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();

    public KeyedStream(DataSource dataSource, String aggregateType, int keys, int rounds, Duration pace) {
        this.dataSource = dataSource;
        this.outbox = Outbox.builder(dataSource).build();
        this.aggregateType = aggregateType;
        this.keys = keys;
        this.rounds = rounds;
        this.pace = pace;
    }

    /** Starts writing; the future completes after the last round committed. */
    public CompletableFuture<Void> start() {
        return CompletableFuture.runAsync(this::write);
    }

    public int roundsWritten() {
        return written.get();
    }

    public int messages() {
        return keys * rounds;
    }

    private void write() {
        for (int round = 0; round < rounds; round++) {
            writeRetrying(round);
            written.incrementAndGet();
            // Pacing of the load, not synchronization.
            LockSupport.parkNanos(pace.toNanos());
        }
    }

    /**
     * Writes one round, retrying it for up to a minute while the database is unreachable, as an application would.
     * A retry after a commit whose outcome was lost may write the round twice: same payloads, new ids.
     */
    private void writeRetrying(int round) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                writeRound(round);
                return;
            } catch (SQLException | OutboxException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Round " + round + " could not be written for a minute", e);
                }
                retries.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
    }

    private void writeRound(int round) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<OutboxMessage> messages = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                messages.add(new OutboxMessage(aggregateType, key, "Counted", KeyOrder.payload(key, round), Map.of()));
            }
            outbox.on(c).publishAll(messages);
            c.commit();
        }
    }

    /** Rounds that failed and were written again. */
    public int retries() {
        return retries.get();
    }

    /** Asserts that {@code records} hold every message of this stream, in key order (duplicates of a prefix allowed). */
    public void assertDeliveredInKeyOrder(List<ConsumerRecord<byte[], byte[]>> records) {
        KeyOrder.check(records).assertComplete(keys, rounds);
    }

    /** Whether {@code records} hold every message of this stream, in key order. */
    public boolean deliveredInKeyOrder(List<ConsumerRecord<byte[], byte[]>> records) {
        return KeyOrder.check(records).isComplete(keys, rounds);
    }

    /** Distinct message ids among {@code records}: what at-least-once delivery must bring to {@link #messages()}. */
    public static int distinctIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(
                record -> ids.add(new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8)));
        return ids.size();
    }
}
