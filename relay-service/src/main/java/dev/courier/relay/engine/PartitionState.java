package dev.courier.relay.engine;

import dev.courier.relay.Lease;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's view of one owned partition. The lease coordinator writes epoch, deadline and drain requests; the
 * engine thread owns the rest.
 */
final class PartitionState {

    final int partition;
    volatile long epoch;
    /** Publishing stops at this {@link System#nanoTime()} unless the lease is renewed. */
    volatile long validUntilNanos;
    /** Set when the partition must be handed over; completed by the engine once nothing is in flight. */
    volatile CompletableFuture<Void> drained;

    /** A batch was sent and is not acknowledged yet, or it failed in part and is not settled yet. */
    volatile boolean inFlight;
    /**
     * Seqs of rows in Kafka whose delete has not happened yet (engine thread only). The next batch may go out
     * meanwhile; fetches skip these rows, and a hand-off waits for their delete.
     */
    final Set<Long> awaitingDelete = new HashSet<>();

    volatile boolean needsFetch = true;
    long retryAtNanos;
    /** When the engine last fetched this partition: the longest-waiting partitions are fetched first. */
    long fetchedAtNanos;

    int consecutiveFailures;

    /**
     * Fetches look above this seq only: every row at or below it is gone for good ({@link FetchFloors}). Written by the
     * engine thread, read by the admin API.
     */
    volatile long floor;
    /** The floor this partition gets once {@link #candidateRound} is confirmed; no candidate while that is 0. */
    long candidateFloor;

    long candidateRound;

    PartitionState(Lease lease, long validUntilNanos) {
        this.partition = lease.partition();
        this.epoch = lease.epoch();
        this.validUntilNanos = validUntilNanos;
        this.retryAtNanos = System.nanoTime();
    }

    Lease lease() {
        return new Lease(partition, epoch);
    }

    boolean ready(long now) {
        return !inFlight && needsFetch && drained == null && now - validUntilNanos < 0 && now - retryAtNanos >= 0;
    }
}
