package dev.courier.relay.cdc;

import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.lease.Lease;
import dev.courier.relay.publish.BatchSender;
import dev.courier.relay.publish.Outcome;
import dev.courier.relay.publish.SentBatch;
import dev.courier.relay.source.OutboxRecord;
import dev.courier.relay.source.OutboxSource;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each batch of change events, in WAL (commit) order, with the same sender and record mapping as polling
 * mode; then removes the published rows from the outbox; only then marks the events processed, which lets Debezium
 * store the offset and confirm the position to the slot. A crash anywhere in between re-delivers at most this batch.
 *
 * <p>Outages (Kafka or the database unreachable) are waited out with back-off behind the circuit breakers; the batch
 * is retried from its first unacknowledged record, keeping key order.
 */
final class OutboxChangeHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(OutboxChangeHandler.class);
    /** CDC batches span partitions; the sender only carries this along. */
    private static final Lease STREAM = new Lease(-1, 0);

    private final String table;
    private final BatchSender sender;
    private final OutboxSource outbox;
    private final RelayMetrics metrics;
    private final CircuitBreaker kafka;
    private final CircuitBreaker database;
    private final IntervalFunction backoff;
    private final Object pauseLock = new Object();
    private volatile boolean paused;
    private volatile Instant lastEventAt;

    OutboxChangeHandler(
            String table,
            BatchSender sender,
            OutboxSource outbox,
            RelayMetrics metrics,
            CircuitBreaker kafka,
            CircuitBreaker database,
            IntervalFunction backoff) {
        this.table = table;
        this.sender = sender;
        this.outbox = outbox;
        this.metrics = metrics;
        this.kafka = kafka;
        this.database = database;
        this.backoff = backoff;
    }

    @Override
    public void handleBatch(
            List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        if (!events.isEmpty()) {
            lastEventAt = Instant.now();
        }
        List<OutboxRecord> rows = new ArrayList<>(events.size());
        for (RecordChangeEvent<SourceRecord> event : events) {
            ChangeEvents.insertedRow(event.record(), table).ifPresent(rows::add);
        }
        if (!rows.isEmpty()) {
            awaitResumed();
            publish(rows);
            remove(rows);
        }
        for (RecordChangeEvent<SourceRecord> event : events) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** Sends until every row is acknowledged; after a failure only the unacknowledged rest goes again. */
    private void publish(List<OutboxRecord> rows) throws InterruptedException {
        List<OutboxRecord> pending = rows;
        int failures = 0;
        while (!pending.isEmpty()) {
            if (!kafka.tryAcquirePermission()) {
                pause(++failures);
                continue;
            }
            long started = System.nanoTime();
            SentBatch batch = send(pending);
            List<OutboxRecord> unacked = new ArrayList<>();
            Throwable error = null;
            for (int i = 0; i < batch.records().size(); i++) {
                OutboxRecord row = batch.records().get(i);
                switch (batch.outcomes().get(i)) {
                    case Outcome.Acked acked -> metrics.published(row.createdAt(), acked.ackedAtMillis());
                    case Outcome.Failed failed -> {
                        error = error != null ? error : failed.error();
                        metrics.failure(failed.retriable() ? "outage" : "record");
                        unacked.add(row);
                    }
                    case Outcome.Withheld withheld -> unacked.add(row);
                }
            }
            if (error == null) {
                kafka.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            } else {
                kafka.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, error);
                if (failures == 0) {
                    log.warn("Publishing change events failed, retrying with back-off: {}", error.toString());
                }
                pause(++failures);
            }
            pending = unacked;
        }
        if (failures > 0) {
            log.info("Publishing change events recovered after {} failed attempts", failures);
        }
    }

    private SentBatch send(List<OutboxRecord> rows) throws InterruptedException {
        CompletableFuture<SentBatch> done = new CompletableFuture<>();
        sender.send(STREAM, rows, done::complete);
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the sender completes its batches normally", e);
        }
    }

    /** Deletes (or archives) the published rows, waiting out a database outage. */
    private void remove(List<OutboxRecord> rows) throws InterruptedException {
        int failures = 0;
        while (true) {
            if (!database.tryAcquirePermission()) {
                pause(++failures);
                continue;
            }
            long started = System.nanoTime();
            try {
                outbox.removePublished(rows);
                database.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                return;
            } catch (RuntimeException e) {
                database.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                metrics.failure("outage");
                if (failures == 0) {
                    log.warn("Could not remove published rows, retrying with back-off: {}", e.getMessage());
                }
                pause(++failures);
            }
        }
    }

    private void pause(int failures) throws InterruptedException {
        Thread.sleep(backoff.apply(failures));
    }

    void pausePublishing() {
        paused = true;
    }

    void resumePublishing() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    boolean paused() {
        return paused;
    }

    /** When the change stream last delivered an event (an outbox insert or a heartbeat); empty before the first. */
    Optional<Instant> lastEventAt() {
        return Optional.ofNullable(lastEventAt);
    }

    double secondsSinceLastEvent() {
        Instant last = lastEventAt;
        return last == null ? Double.NaN : Duration.between(last, Instant.now()).toMillis() / 1000.0;
    }

    private void awaitResumed() throws InterruptedException {
        synchronized (pauseLock) {
            while (paused) {
                pauseLock.wait();
            }
        }
    }
}
