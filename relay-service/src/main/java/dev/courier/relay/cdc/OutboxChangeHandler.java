package dev.courier.relay.cdc;

import dev.courier.relay.Lease;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.park.CdcParking;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each batch of change events, in WAL (commit) order, with the same sender and record mapping as polling
 * mode; then removes the published rows from the outbox; only then marks the events processed, which lets Debezium
 * store the offset and confirm the position to the slot.
 *
 * <p>Removing and committing ({@link BatchCompletion}) run on a thread of their own while the next batch is sent, so
 * that the stream's latency is not the sum of the three round trips; at most one batch is being completed at a time,
 * in stream order, and a batch's completion waits for the previous one. A crash anywhere in between therefore
 * re-delivers at most the last two batches.
 *
 * <p>Outages (Kafka or the database unreachable) are waited out with back-off behind the circuit breakers; the batch
 * is retried from its first unacknowledged record, keeping key order. A record Kafka refuses (too large, invalid topic)
 * is parked after its attempts, and the later events of its key are held behind it ({@link ParkedKeys}) until an
 * operator replays or skips it; the release is carried out here, between two batches, so it keeps stream order.
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
    private final ParkedKeys parking;
    private final BatchCompletion completion = new BatchCompletion();
    /** How long a published row's writer may stay invisible before the row is left for an operator. */
    private static final Duration VISIBILITY_WAIT = Duration.ofSeconds(30);

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
            IntervalFunction backoff,
            ParkedKeys parking) {
        this.table = table;
        this.sender = sender;
        this.outbox = outbox;
        this.metrics = metrics;
        this.kafka = kafka;
        this.database = database;
        this.backoff = backoff;
        this.parking = parking;
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
        Map<String, Long> writers = new HashMap<>();
        boolean nudged = false;
        for (RecordChangeEvent<SourceRecord> event : events) {
            Optional<OutboxRecord> row = ChangeEvents.insertedRow(event.record(), table);
            if (row.isPresent()) {
                rows.add(row.get());
                Long writer = ChangeEvents.transactionId(event.record());
                if (writer != null) {
                    writers.put(row.get().id(), writer);
                }
            } else {
                nudged = true; // a heartbeat or a wake-up: a moment to look at the parking table
            }
        }
        if (parking.stale()) {
            withDatabase(parking::load);
            nudged = true;
        }
        if (nudged && parking.anyHeld()) {
            awaitResumed();
            releaseRequested();
        }
        List<OutboxRecord> sent = rows.isEmpty() ? List.of() : publishUnheld(rows);
        List<RecordChangeEvent<SourceRecord>> batch = List.copyOf(events);
        completion.next(() -> {
            if (!sent.isEmpty()) {
                removeOnceVisible(sent, withDatabase(() -> outbox.removePublished(sent)), writers);
            }
            for (RecordChangeEvent<SourceRecord> event : batch) {
                committer.markProcessed(event);
            }
            committer.markBatchFinished();
        });
    }

    /**
     * Deletes the published rows the first delete did not find because their transaction was not yet visible.
     * PostgreSQL decodes a transaction once its commit record is flushed, a moment before other sessions see it; on a
     * busy machine the relay can publish and delete in that moment, and the row would stay in the outbox for good
     * (measured: 222 of 40,000 rows beside a CPU-bound process). So while a missing row's writer is still in
     * progress, the delete is repeated; once no writer is, a last delete settles it: what is still not found was
     * deleted already (by the writer, or an earlier delivery of the batch).
     */
    private void removeOnceVisible(List<OutboxRecord> sent, Set<String> missing, Map<String, Long> writers)
            throws InterruptedException {
        long pauseMillis = 1;
        long deadline = System.nanoTime() + VISIBILITY_WAIT.toNanos();
        while (!missing.isEmpty()) {
            Set<String> notFound = missing;
            List<OutboxRecord> again =
                    sent.stream().filter(row -> notFound.contains(row.id())).toList();
            Set<Long> xids = new HashSet<>();
            notFound.forEach(id -> {
                Long writer = writers.get(id);
                if (writer != null) {
                    xids.add(writer);
                }
            });
            Set<Long> running = withDatabase(() -> outbox.inProgress(xids));
            log.debug(
                    "{} published rows not found yet; their writers {}, still in progress {}",
                    notFound.size(),
                    xids,
                    running);
            if (running.isEmpty()) {
                withDatabase(() -> outbox.removePublished(again));
                return;
            }
            if (System.nanoTime() > deadline) {
                log.warn(
                        "{} published outbox rows stayed invisible for {}; left in the table: {}",
                        again.size(),
                        VISIBILITY_WAIT,
                        notFound);
                return;
            }
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(100, pauseMillis * 2);
            missing = withDatabase(() -> outbox.removePublished(again));
        }
    }

    /** Publishes the rows whose keys are not held behind a parked record; returns the acknowledged ones. */
    private List<OutboxRecord> publishUnheld(List<OutboxRecord> rows) throws InterruptedException {
        awaitResumed();
        List<OutboxRecord> free = withDatabase(() -> parking.holdBack(rows));
        return publish(free);
    }

    /** Carries out the replays and skips operators asked for: publishes each key's chain, then frees the key. */
    private void releaseRequested() throws InterruptedException {
        for (CdcParking.ReleaseRequest request : withDatabase(parking::releaseRequests)) {
            List<OutboxRecord> chain = withDatabase(() -> parking.startRelease(request));
            List<OutboxRecord> published = publish(chain);
            withDatabase(() -> parking.finishRelease(request, published));
        }
    }

    /**
     * Sends until every row is acknowledged or parked; after a failure only the unacknowledged rest goes again. A row
     * Kafka refuses is tried {@code maxAttempts} times, then parked, and the later rows of its key are held.
     *
     * @return the acknowledged rows
     */
    private List<OutboxRecord> publish(List<OutboxRecord> rows) throws InterruptedException {
        List<OutboxRecord> pending = rows;
        List<OutboxRecord> published = new ArrayList<>(rows.size());
        int failures = 0;
        while (!pending.isEmpty()) {
            if (!kafka.tryAcquirePermission()) {
                pause(++failures);
                continue;
            }
            long started = System.nanoTime();
            SentBatch batch = send(pending);
            List<OutboxRecord> unacked = new ArrayList<>();
            Map<OutboxRecord, String> exhausted = new LinkedHashMap<>();
            Throwable error = null;
            for (int i = 0; i < batch.records().size(); i++) {
                OutboxRecord row = batch.records().get(i);
                switch (batch.outcomes().get(i)) {
                    case Outcome.Acked acked -> {
                        metrics.published(row.createdAt(), acked.ackedAtMillis());
                        parking.published(row);
                        published.add(row);
                    }
                    case Outcome.Failed failed -> {
                        error = error != null ? error : failed.error();
                        metrics.failure(failed.retriable() ? "outage" : "record");
                        if (!failed.retriable() && parking.refused(row)) {
                            exhausted.put(row, failed.description());
                        } else {
                            unacked.add(row);
                        }
                    }
                    case Outcome.Withheld withheld -> unacked.add(row);
                }
            }
            if (batch.hasOutage()) {
                kafka.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, error);
            } else {
                kafka.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            for (Map.Entry<OutboxRecord, String> poison : exhausted.entrySet()) {
                withDatabase(() -> parking.park(poison.getKey(), poison.getValue()));
            }
            pending = exhausted.isEmpty() ? unacked : withDatabase(() -> parking.holdBack(unacked));
            if (error != null) {
                if (failures == 0) {
                    log.warn("Publishing change events failed, retrying with back-off: {}", error.toString());
                }
                if (!pending.isEmpty()) {
                    pause(++failures);
                }
            }
        }
        if (failures > 0) {
            log.info("Publishing change events recovered after {} failed attempts", failures);
        }
        return published;
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

    /** Runs {@code work} against the database, waiting out an outage behind the database circuit. */
    private <T> T withDatabase(Supplier<T> work) throws InterruptedException {
        int failures = 0;
        while (true) {
            if (!database.tryAcquirePermission()) {
                pause(++failures);
                continue;
            }
            long started = System.nanoTime();
            try {
                T result = work.get();
                database.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                return result;
            } catch (RuntimeException e) {
                database.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                metrics.failure("outage");
                if (failures == 0) {
                    log.warn("Database work of the change handler failed, retrying with back-off: {}", e.getMessage());
                }
                pause(++failures);
            }
        }
    }

    private void withDatabase(Runnable work) throws InterruptedException {
        withDatabase(() -> {
            work.run();
            return null;
        });
    }

    private void pause(int failures) throws InterruptedException {
        Thread.sleep(backoff.apply(failures));
    }

    /**
     * An engine starts on this instance: the previous engine's last batch is completed first (or given up, which only
     * re-delivers it), and what this instance knew of parked keys may be out of date.
     */
    void engineStarting() throws InterruptedException {
        completion.settle();
        parking.forget();
    }

    /** Stops completing batches; one still being completed is interrupted and delivered again by the next leader. */
    void close() {
        completion.close();
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
