package dev.courier.relay.engine;

import dev.courier.relay.Lease;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.park.PollingParking;
import dev.courier.relay.publish.Outcome;
import dev.courier.relay.publish.SentBatch;
import dev.courier.relay.source.OutboxRecord;
import dev.courier.relay.source.OutboxSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of finishing sent batches: the fenced delete of acknowledged rows and the attempts charged for
 * record faults. It runs on its own thread and connection, so that the engine goes on fetching and sending the other
 * partitions meanwhile; the settled partitions stay in flight until the engine applies the outcome.
 */
final class Settler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Settler.class);

    /**
     * What settling did to one batch.
     *
     * @param leaseLost the partition belongs to another member now: nothing was deleted or charged
     * @param recordFailed a record fault was charged: the partition backs off before its next batch
     */
    record Result(SentBatch batch, boolean leaseLost, boolean recordFailed) {}

    private final String member;
    private final OutboxSource source;
    private final PollingParking parking;
    private final RelayMetrics metrics;
    private final int maxAttempts;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("courier-relay-settle").daemon(true).factory());

    Settler(String member, OutboxSource source, PollingParking parking, RelayMetrics metrics, int maxAttempts) {
        this.member = member;
        this.source = source;
        this.parking = parking;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
    }

    /** Settles {@code batches}; idempotent, so that a retry after a failure in the middle repeats nothing harmful. */
    CompletableFuture<List<Result>> settle(List<SentBatch> batches) {
        return CompletableFuture.supplyAsync(() -> settleNow(batches), thread);
    }

    private List<Result> settleNow(List<SentBatch> batches) {
        Map<Lease, List<OutboxRecord>> acked = new HashMap<>();
        for (SentBatch batch : batches) {
            for (int i = 0; i < batch.records().size(); i++) {
                if (batch.outcomes().get(i) instanceof Outcome.Acked) {
                    acked.computeIfAbsent(batch.lease(), lease -> new ArrayList<>())
                            .add(batch.records().get(i));
                }
            }
        }
        Set<Lease> lost = source.deletePublished(member, acked);
        List<Result> results = new ArrayList<>();
        for (SentBatch batch : batches) {
            if (lost.contains(batch.lease())) {
                results.add(new Result(batch, true, false));
                continue;
            }
            for (int i = 0; i < batch.records().size(); i++) {
                if (batch.outcomes().get(i) instanceof Outcome.Acked ackedOutcome) {
                    metrics.published(batch.records().get(i).createdAt(), ackedOutcome.ackedAtMillis());
                }
            }
            results.add(charge(batch));
        }
        return results;
    }

    private Result charge(SentBatch batch) {
        boolean recordFailed = false;
        for (int i = 0; i < batch.records().size(); i++) {
            if (batch.outcomes().get(i) instanceof Outcome.Failed failed && !failed.retriable()) {
                recordFailed = true;
                OutboxRecord record = batch.records().get(i);
                metrics.failure("record");
                switch (parking.chargeAttempt(member, batch.lease(), record, failed.description(), maxAttempts)) {
                    case LEASE_LOST -> {
                        return new Result(batch, true, false);
                    }
                    case PARKED -> {
                        metrics.parked();
                        log.warn(
                                "Parked message {} ({} {}) after {} attempts: {}; later messages of its key wait until"
                                        + " it is replayed or skipped",
                                record.id(),
                                record.aggregateType(),
                                record.aggregateId(),
                                record.attempts() + 1,
                                failed.description());
                    }
                    case COUNTED -> {}
                }
            }
        }
        return new Result(batch, false, recordFailed);
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
