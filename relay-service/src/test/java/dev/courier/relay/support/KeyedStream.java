package dev.courier.relay.support;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                List<OutboxMessage> messages = new ArrayList<>();
                for (int k = 0; k < keys; k++) {
                    String key = "key-" + k;
                    messages.add(
                            new OutboxMessage(aggregateType, key, "Counted", KeyOrder.payload(key, round), Map.of()));
                }
                outbox.on(c).publishAll(messages);
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            written.incrementAndGet();
            // Pacing of the load, not synchronization.
            LockSupport.parkNanos(pace.toNanos());
        }
    }

    /** Distinct message ids among {@code records}: what at-least-once delivery must bring to {@link #messages()}. */
    public static int distinctIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(
                record -> ids.add(new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8)));
        return ids.size();
    }
}
