package dev.courier.relay.engine;

import dev.courier.relay.Lease;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.park.PollingParking;
import dev.courier.relay.publish.BatchSender;
import dev.courier.relay.source.OutboxRecord;
import dev.courier.relay.source.OutboxSource;
import dev.courier.supervision.LoopHealth;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing loop, one thread per relay instance. Each cycle advances the {@link Settlements} (finished batches
 * go to the {@link Settler}: fenced delete of acked rows, attempts charged for failed ones, on its own thread), then
 * fetches the owned partitions that have nothing in flight and sends their batches without waiting. One batch per partition is in flight at a time,
 * which keeps key order; all partitions are in flight together, which keeps throughput. A batch that Kafka
 * acknowledged completely frees its partition at once: the next batch goes out while the rows of the previous one
 * are being deleted (fetches skip them), so the delete is not on the latency path. A batch with a failed record keeps
 * its partition until it is settled.
 *
 * {@link PollPacing} decides when every partition is looked at again without a wake-up.
 *
 * <p>The loop survives any failure of a cycle (it backs off and goes on) and reports it in its health, the
 * {@code engine} loop, until a cycle succeeds.
 *
 * <p>The lease coordinator tells the engine which partitions it holds ({@link #assign}, {@link #renewed},
 * {@link #lost}, {@link #drain}); the wake-up listener calls {@link #wakeUp()}.
 */
public final class RelayEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayEngine.class);

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
    private final Signal signal = new Signal();
    private final Settlements settlements;
    private final Thread thread;
    private volatile boolean paused;
    private volatile boolean stopping;
    private volatile boolean listening;
    private final PollPacing pacing;
    private final FetchFloors floors;

    public RelayEngine(
            String member,
            OutboxSource source,
            PollingParking parking,
            BatchSender sender,
            RelayMetrics metrics,
            CircuitBreaker kafka,
            CircuitBreaker database,
            EngineSettings settings) {
        this.source = source;
        this.sender = sender;
        this.metrics = metrics;
        this.kafka = kafka;
        this.database = database;
        this.settings = settings;
        this.health = metrics.loop("engine");
        this.partitionsPerLoadedFetch = Math.max(1, ROWS_PER_LOADED_FETCH / settings.batchSize());
        this.settlements = new Settlements(
                partitions,
                new Settler(member, source, parking, metrics, settings.maxAttempts()),
                kafka,
                database,
                metrics,
                settings,
                signal,
                this::lost);
        this.pacing = new PollPacing(settings);
        this.floors = new FetchFloors(
                () -> settings.fetchFloors() && source.supportsFetchFloors(), source::writers, System::nanoTime);
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

    /** Where each owned partition's fetch starts: the seq above which it looks (0: from the partition's start). */
    public Map<Integer, Long> fetchFloors() {
        Map<Integer, Long> floors = new TreeMap<>();
        partitions.forEach((partition, state) -> floors.put(partition, state.floor));
        return floors;
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
        settlements.advance();
        completeDrains();
        long now = System.nanoTime();
        if (pacing.due(now)) {
            partitions.values().forEach(state -> state.needsFetch = true);
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
        pacing.adapt(fetch == Fetch.FOUND, listening);
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
            return sender.send(state.lease(), batch, settlements::completed);
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
            OutboxSource.Fetched fetched = source.fetch(
                    fetching.stream()
                            .map(state -> new OutboxSource.Window(state.partition, state.floor, state.awaitingDelete))
                            .toList(),
                    settings.batchSize());
            floors.fetched(fetching, fetched.lowestSeq());
            database.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            List<OutboxRecord> rows = fetched.rows();
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

    private boolean anyInFlight() {
        return partitions.values().stream().anyMatch(state -> state.inFlight) || settlements.pending();
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

    // ---- waiting

    /** Until the next poll, a partition's retry time, or a back-off step; never a busy loop. */
    private long waitNanos(boolean blocked) {
        long now = System.nanoTime();
        long wait = pacing.untilNextPoll(now);
        long backoff = TimeUnit.MILLISECONDS.toNanos(settings.backoff().apply(1));
        if (blocked) {
            return Math.max(Math.min(wait, backoff), backoff / 2);
        }
        if (settlements.waiting()) {
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
            settlements.close();
        }
    }
}
