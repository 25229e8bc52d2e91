package dev.courier.relay.engine;

import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.publish.Outcome;
import dev.courier.relay.publish.SentBatch;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of finishing sent batches. Batches the producer completed (on its threads) queue here; on the
 * engine thread each one feeds the Kafka circuit, frees its partition at once when Kafka acknowledged all of it, and
 * goes to the {@link Settler} (fenced delete, attempts charged) in the next settlement; the settlement's results go
 * back to the partitions. A settlement that fails keeps its batches, and their partitions in flight, for the next
 * one: acknowledged rows stay in the outbox until the database is back.
 */
final class Settlements implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Settlements.class);

    private final Map<Integer, PartitionState> partitions;
    private final Settler settler;
    private final CircuitBreaker kafka;
    private final CircuitBreaker database;
    private final RelayMetrics metrics;
    private final EngineSettings settings;
    private final Signal signal;
    /** Told of a partition whose lease another member holds now. */
    private final IntConsumer leaseLost;

    private final Queue<SentBatch> completed = new ConcurrentLinkedQueue<>();
    /** Finished batches whose database writes have not succeeded yet; their partitions stay in flight. */
    private final List<SentBatch> unsettled = new ArrayList<>();
    /** The settlement running on the settler's thread, and its batches; null and empty when none. */
    private CompletableFuture<List<Settler.Result>> settling;

    private List<SentBatch> settlingBatches = List.of();
    private long settleStartedNanos;
    private int storageFailures;

    Settlements(
            Map<Integer, PartitionState> partitions,
            Settler settler,
            CircuitBreaker kafka,
            CircuitBreaker database,
            RelayMetrics metrics,
            EngineSettings settings,
            Signal signal,
            IntConsumer leaseLost) {
        this.partitions = partitions;
        this.settler = settler;
        this.kafka = kafka;
        this.database = database;
        this.metrics = metrics;
        this.settings = settings;
        this.signal = signal;
        this.leaseLost = leaseLost;
    }

    /** From the producer's threads: a batch whose every record has its outcome. */
    void completed(SentBatch batch) {
        completed.add(batch);
        signal.raise();
    }

    /** Whether batches wait for a settlement, or one runs. */
    boolean pending() {
        return !unsettled.isEmpty() || settling != null;
    }

    /** Whether batches wait for a settlement that failed or has not started: the engine then retries soon. */
    boolean waiting() {
        return !unsettled.isEmpty();
    }

    /** Takes in completed batches, applies a finished settlement, and starts the next one when the database allows. */
    void advance() {
        for (SentBatch batch; (batch = completed.poll()) != null; ) {
            if (batch.hasOutage()) {
                kafka.onError(0, TimeUnit.NANOSECONDS, firstOutage(batch));
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
        PartitionState state = partitions.get(partition);
        if (leaseLost) {
            log.info("Partition {} was taken over by another relay; stopped publishing it", partition);
            if (state != null && state.epoch == batch.lease().epoch()) {
                this.leaseLost.accept(partition);
            }
            return;
        }
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

    private static Throwable firstOutage(SentBatch batch) {
        return batch.outcomes().stream()
                .filter(outcome -> outcome instanceof Outcome.Failed failed && failed.retriable())
                .map(outcome -> ((Outcome.Failed) outcome).error())
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        settler.close();
    }
}
