package dev.courier.relay.engine;

import dev.courier.relay.Lease;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.park.ParkingStore;
import dev.courier.relay.publish.BatchSender;
import dev.courier.relay.publish.Outcome;
import dev.courier.relay.publish.SentBatch;
import dev.courier.relay.source.OutboxRecord;
import dev.courier.relay.source.OutboxSource;
import dev.courier.supervision.LoopHealth;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing loop, one thread per relay instance. Each cycle hands finished batches to the {@link Settler} (fenced
 * delete of acked rows, attempts charged for failed ones, on its own thread), then fetches the owned partitions that
 * have nothing in flight and sends their batches without waiting. One batch per partition is in flight at a time,
 * which keeps key order; all partitions are in flight together, which keeps throughput. A batch that Kafka
 * acknowledged completely frees its partition at once: the next batch goes out while the rows of the previous one
 * are being deleted (fetches skip them), so the delete is not on the latency path. A batch with a failed record keeps
 * its partition until it is settled.
 *
 * <p>The loop survives any failure of a cycle (it backs off and goes on) and reports it in its health, the
 * {@code engine} loop, until a cycle succeeds.
 *
 * <p>The lease coordinator tells the engine which partitions it holds ({@link #assign}, {@link #renewed},
 * {@link #lost}, {@link #drain}); the wake-up listener calls {@link #wakeUp()}.
 */
public final class RelayEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayEngine.class);

    private final String member;
    private final OutboxSource source;
    private final BatchSender sender;
    private final RelayMetrics metrics;
    private final CircuitBreaker kafka;
    private final CircuitBreaker database;
    private final EngineSettings settings;
    private final LoopHealth health;

    /** Rows of a fetch from which the engine considers itself loaded and splits the next fetches. */
    static final int ROWS_PER_LOADED_FETCH = 4_000;

    private final Map<Integer, PartitionState> partitions = new ConcurrentHashMap<>();
    /** Under load (the last fetch was large), a fetch covers at most this many partitions. */
    private final int partitionsPerLoadedFetch;

    private boolean loaded;
    private final Queue<SentBatch> completed = new ConcurrentLinkedQueue<>();
    /** Finished batches whose database writes have not succeeded yet; their partitions stay in flight. */
    private final List<SentBatch> unsettled = new ArrayList<>();

    private final Settler settler;
    /** The settlement running on the settler's thread, and its batches; null and empty when none. */
    private CompletableFuture<List<Settler.Result>> settling;

    private List<SentBatch> settlingBatches = List.of();
    private long settleStartedNanos;

    private final Signal signal = new Signal();
    private final Thread thread;
    private volatile boolean paused;
    private volatile boolean stopping;
    private volatile boolean listening;
    private long pollIntervalNanos;
    private long nextPollNanos;
    private int storageFailures;

    public RelayEngine(
            String member,
            OutboxSource source,
            ParkingStore parking,
            BatchSender sender,
            RelayMetrics metrics,
            CircuitBreaker kafka,
            CircuitBreaker database,
            EngineSettings settings) {
        this.member = member;
        this.source = source;
        this.sender = sender;
        this.metrics = metrics;
        this.kafka = kafka;
        this.database = database;
        this.settings = settings;
        this.health = metrics.loop("engine");
        this.partitionsPerLoadedFetch = Math.max(1, ROWS_PER_LOADED_FETCH / settings.batchSize());
        this.settler = new Settler(member, source, parking, metrics, settings.maxAttempts());
        this.pollIntervalNanos = settings.minInterval().toNanos();
        this.nextPollNanos = System.nanoTime();
        metrics.trackOwnedPartitions(partitions);
        this.thread = Thread.ofPlatform().name("courier-relay-engine").unstarted(this::run);
    }

    public void start() {
        health.started();
        thread.start();
    }

    // ---- from the lease coordinator

    public void assign(Lease lease, long validUntilNanos) {
        partitions.compute(lease.partition(), (partition, state) -> {
            if (state == null) {
                return new PartitionState(lease, validUntilNanos);
            }
            state.epoch = lease.epoch();
            state.validUntilNanos = validUntilNanos;
            state.needsFetch = true;
            return state;
        });
        signal.raise();
    }

    public void renewed(Lease lease, long validUntilNanos) {
        PartitionState state = partitions.get(lease.partition());
        if (state != null && state.epoch == lease.epoch()) {
            state.validUntilNanos = validUntilNanos;
        }
    }

    /** The partition belongs to another member now: stop at once, delete nothing more there. */
    public void lost(int partition) {
        partitions.remove(partition);
    }

    /** Stops fetching {@code partition}; completes once its in-flight batch is acknowledged and settled. */
    public CompletableFuture<Void> drain(int partition) {
        PartitionState state = partitions.get(partition);
        if (state == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        state.drained = drained;
        signal.raise();
        return drained;
    }

    public Set<Integer> owned() {
        return new TreeSet<>(partitions.keySet());
    }

    // ---- from the wake-up listener and the admin API

    public void wakeUp() {
        partitions.values().forEach(state -> state.needsFetch = true);
        signal.raise();
    }

    /** Whether a NOTIFY listener is connected; without one the engine polls adaptively. */
    public void listening(boolean listening) {
        this.listening = listening;
        signal.raise();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wakeUp();
    }

    public boolean paused() {
        return paused;
    }

    // ---- the loop

    private void run() {
        try {
            runUntilStopped();
        } finally {
            health.stopped();
        }
    }

    private void runUntilStopped() {
        long stopDeadline = Long.MAX_VALUE;
        int failures = 0;
        while (true) {
            try {
                if (stopping) {
                    if (stopDeadline == Long.MAX_VALUE) {
                        stopDeadline =
                                System.nanoTime() + settings.shutdownTimeout().toNanos();
                    }
                    if (!anyInFlight() || System.nanoTime() - stopDeadline > 0) {
                        return;
                    }
                }
                cycle();
                health.succeeded();
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                // A bug, not an outage (those are handled where they happen): keep the relay alive but slow, and say
                // so in health. Errors too: a thread that ends here would stop publishing with nothing to show for it.
                if (health.failed(e)) {
                    log.error("Relay engine cycle failed unexpectedly; retrying with back-off", e);
                }
                try {
                    failures = Math.min(failures + 1, 30);
                    signal.await(settings.backoff().apply(failures) * 1_000_000L);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void cycle() throws InterruptedException {
        settleCompleted();
        completeDrains();
        long now = System.nanoTime();
        if (now - nextPollNanos >= 0) {
            partitions.values().forEach(state -> state.needsFetch = true);
            nextPollNanos = now + pollIntervalNanos;
        }
        Fetch fetch = Fetch.NOTHING_READY;
        if (!paused && !stopping) {
            // Under load, a few partitions per query, least recently fetched first: while Kafka works on one
            // group's batches the engine fetches the next group and settles acknowledged ones, instead of
            // alternating one huge fetch with one huge delete. When lightly loaded, one query for all.
            List<PartitionState> ready = partitions.values().stream()
                    .filter(state -> state.ready(now))
                    .sorted(Comparator.comparingLong(state -> state.fetchedAtNanos - now))
                    .limit(loaded ? partitionsPerLoadedFetch : Integer.MAX_VALUE)
                    .toList();
            if (!ready.isEmpty()) {
                fetch = kafka.tryAcquirePermission() ? fetchAndSend(ready) : Fetch.BLOCKED;
            }
        }
        adaptPolling(fetch == Fetch.FOUND);
        signal.await(waitNanos(fetch == Fetch.BLOCKED));
    }

    private enum Fetch {
        NOTHING_READY,
        FOUND,
        EMPTY,
        /** A circuit is open or the database failed: back off before trying again. */
        BLOCKED
    }

    /** Fetches the ready partitions in one query and hands each non-empty one's batch to the producer. */
    private Fetch fetchAndSend(List<PartitionState> ready) {
        boolean halfOpen = kafka.getState() == CircuitBreaker.State.HALF_OPEN;
        List<PartitionState> fetching = halfOpen ? ready.subList(0, 1) : ready;
        // Cleared before the query, not after: a wake-up arriving while it runs must cause another fetch, since
        // the query may not see the row that woke it.
        fetching.forEach(state -> state.needsFetch = false);
        Map<Integer, List<OutboxRecord>> batches;
        try {
            batches = fetch(fetching);
        } catch (RuntimeException e) {
            fetching.forEach(state -> state.needsFetch = true);
            kafka.releasePermission();
            return Fetch.BLOCKED;
        }
        boolean permitUsed = false;
        long fetchedAt = System.nanoTime();
        try {
            for (PartitionState state : fetching) {
                state.fetchedAtNanos = fetchedAt;
                List<OutboxRecord> batch = batches.get(state.partition);
                if (batch == null) {
                    continue;
                }
                if (permitUsed && !kafka.tryAcquirePermission()) {
                    break;
                }
                permitUsed = true;
                state.inFlight = true;
                // A full batch means more rows may wait; a partial one took all there were.
                state.needsFetch |= batch.size() >= settings.batchSize();
                if (send(state, batch)) {
                    // Kafka is unreachable: the others stay ready, the settled failure feeds the circuit.
                    break;
                }
            }
        } finally {
            if (!permitUsed) {
                kafka.releasePermission();
            }
            for (PartitionState state : fetching) {
                if (!state.inFlight && batches.containsKey(state.partition)) {
                    state.needsFetch = true; // fetched but not sent: fetch again next time
                }
            }
        }
        return batches.isEmpty() ? Fetch.EMPTY : Fetch.FOUND;
    }

    /**
     * Hands {@code batch} to the producer; true when Kafka proved unreachable. Should the Kafka client throw what the
     * sender does not catch (an {@link Error}), the batch never completes: its partition is freed to be fetched again
     * (what was already handed over may go out twice, in order), the failure goes to the circuit and on to the loop.
     */
    private boolean send(PartitionState state, List<OutboxRecord> batch) {
        try {
            return sender.send(state.lease(), batch, this::completed);
        } catch (Throwable e) {
            state.inFlight = false;
            state.needsFetch = true;
            kafka.onError(0, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    private Map<Integer, List<OutboxRecord>> fetch(List<PartitionState> fetching) {
        if (!database.tryAcquirePermission()) {
            throw new IllegalStateException("database circuit open");
        }
        long started = System.nanoTime();
        metrics.fetched();
        try {
            Map<Integer, Set<Long>> skipping = new HashMap<>();
            for (PartitionState state : fetching) {
                if (!state.awaitingDelete.isEmpty()) {
                    skipping.put(state.partition, state.awaitingDelete);
                }
            }
            List<OutboxRecord> rows = source.fetch(
                    fetching.stream().map(state -> state.partition).toList(), settings.batchSize(), skipping);
            database.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            loaded = rows.size() >= ROWS_PER_LOADED_FETCH;
            Map<Integer, List<OutboxRecord>> batches = new LinkedHashMap<>();
            rows.forEach(row -> batches.computeIfAbsent(row.partition(), p -> new ArrayList<>())
                    .add(row));
            return batches;
        } catch (RuntimeException e) {
            database.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            metrics.failure("outage");
            throw e;
        }
    }

    private void completed(SentBatch batch) {
        completed.add(batch);
        signal.raise();
    }

    private boolean anyInFlight() {
        return partitions.values().stream().anyMatch(state -> state.inFlight)
                || !unsettled.isEmpty()
                || settling != null;
    }

    // ---- settling finished batches

    private void settleCompleted() {
        for (SentBatch batch; (batch = completed.poll()) != null; ) {
            if (batch.hasOutage()) {
                Throwable error = firstOutage(batch);
                kafka.onError(0, TimeUnit.NANOSECONDS, error);
                metrics.failure("outage");
            } else {
                kafka.onSuccess(0, TimeUnit.NANOSECONDS);
            }
            if (batch.fullyAcked()) {
                releaseBeforeDelete(batch);
            }
            unsettled.add(batch);
        }
        if (settling != null) {
            if (!settling.isDone()) {
                return;
            }
            applySettlement();
        }
        if (unsettled.isEmpty() || !database.tryAcquirePermission()) {
            return;
        }
        settlingBatches = List.copyOf(unsettled);
        unsettled.clear();
        settleStartedNanos = System.nanoTime();
        settling = settler.settle(settlingBatches);
        settling.whenComplete((results, error) -> signal.raise());
    }

    private void applySettlement() {
        long elapsed = System.nanoTime() - settleStartedNanos;
        try {
            List<Settler.Result> results = settling.join();
            database.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            storageFailures = 0;
            for (Settler.Result result : results) {
                apply(result);
            }
        } catch (CompletionException | CancellationException e) {
            // Acked rows stay in the outbox and their partitions in flight until the database is back.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            database.onError(elapsed, TimeUnit.NANOSECONDS, cause);
            metrics.failure("outage");
            if (storageFailures++ == 0) {
                log.warn("Could not settle published batches, will retry: {}", cause.getMessage());
            }
            unsettled.addAll(0, settlingBatches);
        } finally {
            settling = null;
            settlingBatches = List.of();
        }
    }

    private void apply(Settler.Result result) {
        PartitionState state = partitions.get(result.batch().lease().partition());
        if (state != null && !result.leaseLost()) {
            state.consecutiveFailures = result.recordFailed() ? state.consecutiveFailures + 1 : 0;
            if (result.recordFailed()) {
                state.retryAtNanos = System.nanoTime()
                        + TimeUnit.MILLISECONDS.toNanos(settings.backoff().apply(state.consecutiveFailures));
            }
        }
        finish(result.batch(), result.leaseLost());
    }

    /** The whole batch is in Kafka: its partition may send the next one while these rows are being deleted. */
    private void releaseBeforeDelete(SentBatch batch) {
        PartitionState state = partitions.get(batch.lease().partition());
        if (state != null && state.epoch == batch.lease().epoch()) {
            batch.records().forEach(record -> state.awaitingDelete.add(record.seq()));
            state.inFlight = false;
        }
    }

    private void finish(SentBatch batch, boolean leaseLost) {
        int partition = batch.lease().partition();
        if (leaseLost) {
            log.info("Partition {} was taken over by another relay; stopped publishing it", partition);
            PartitionState state = partitions.get(partition);
            if (state != null && state.epoch == batch.lease().epoch()) {
                lost(partition);
            }
            return;
        }
        PartitionState state = partitions.get(partition);
        if (state == null) {
            return;
        }
        if (batch.fullyAcked()) {
            // Released when acknowledged; a later batch of the partition may be in flight now.
            batch.records().forEach(record -> state.awaitingDelete.remove(record.seq()));
        } else {
            state.inFlight = false;
            state.needsFetch = true;
        }
    }

    private void completeDrains() {
        partitions.values().removeIf(state -> {
            CompletableFuture<Void> drained = state.drained;
            if (drained != null && !state.inFlight && state.awaitingDelete.isEmpty()) {
                drained.complete(null);
                return true;
            }
            return false;
        });
    }

    // ---- pacing

    private void adaptPolling(boolean found) {
        if (listening && !settings.adaptive()) {
            pollIntervalNanos = settings.safetyInterval().toNanos();
        } else if (found) {
            pollIntervalNanos = settings.minInterval().toNanos();
        } else {
            pollIntervalNanos =
                    Math.min(pollIntervalNanos * 2, settings.safetyInterval().toNanos());
        }
        long now = System.nanoTime();
        if (nextPollNanos - now > pollIntervalNanos) {
            nextPollNanos = now + pollIntervalNanos;
        }
    }

    /** Until the next poll, a partition's retry time, or a back-off step; never a busy loop. */
    private long waitNanos(boolean blocked) {
        long now = System.nanoTime();
        long wait = nextPollNanos - now;
        long backoff = TimeUnit.MILLISECONDS.toNanos(settings.backoff().apply(1));
        if (blocked) {
            return Math.max(Math.min(wait, backoff), backoff / 2);
        }
        if (!unsettled.isEmpty()) {
            wait = Math.min(wait, backoff);
        }
        if (!paused && !stopping) {
            for (PartitionState state : partitions.values()) {
                if (!state.inFlight && state.needsFetch && state.drained == null && now - state.validUntilNanos < 0) {
                    wait = Math.min(wait, state.retryAtNanos - now);
                }
            }
        }
        return Math.max(wait, 0);
    }

    private static Throwable firstOutage(SentBatch batch) {
        return batch.outcomes().stream()
                .filter(outcome -> outcome instanceof Outcome.Failed failed && failed.retriable())
                .map(outcome -> ((Outcome.Failed) outcome).error())
                .findFirst()
                .orElseThrow();
    }

    /** Stops fetching, waits up to the shutdown timeout for in-flight batches to be acknowledged and settled. */
    @Override
    public void close() {
        stopping = true;
        signal.raise();
        try {
            thread.join(settings.shutdownTimeout().plus(Duration.ofSeconds(1)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            settler.close();
        }
    }
}
