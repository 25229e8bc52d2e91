package dev.courier.relay.engine;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Raises each partition's fetch floor (the seq above which its fetch looks) past rows that are gone for good, so that
 * a fetch does not walk the index entries of every row published since the table's last vacuum. On PostgreSQL a
 * deleted row's index entry stays until a vacuum; after a drain of 200,000 rows a fetch from the start of each
 * partition read over a thousand pages and, the first time, visited every dead row.
 *
 * <p>A row may commit late: its transaction drew a lower seq than rows already fetched, then committed after them.
 * The floor is therefore raised in rounds:
 *
 * <ol>
 *   <li>A fetch F finds, for partition p, lowest seq L (a row visible to F's snapshot). Candidate floor: L - 1. Every
 *       row that F's snapshot did not see with a seq below L belongs to a transaction that drew its seq before L's
 *       transaction drew L (a sequence of cache 1 hands out values in call order), so before L committed, so before
 *       F began; and a transaction takes its lock on the outbox table before its insert draws a seq, holding it
 *       until it ends. Right after F, the engine notes the transactions holding that lock (the round's writers).
 *   <li>The round is confirmed once a later look at the lock holders finds none of its writers: every such late row
 *       is committed (or rolled back) by then.
 *   <li>The next fetch of p, whose snapshot is younger than the confirmation, still reads from the old floor and so
 *       sees every late row. The floor becomes the candidate, or just below the lowest row that fetch found, if
 *       lower.
 * </ol>
 *
 * <p>Rows held back behind a parked message may lie below a floor: releasing the key gives them new seqs (see
 * {@code PollingParking}). A failed row is never passed (it is found again, so it is the lowest). A transaction that
 * stays open with a write on the outbox table holds every round back, and the fetch then works as without floors:
 * from the start of each partition. Without fetch floors (MySQL/MariaDB, or a seq sequence with a cache) every floor
 * stays 0.
 *
 * <p>The lock holders are looked at most every {@value #LOOK_INTERVAL_MICROS} µs: a busy engine fetches far more
 * often, and the floors need not follow every fetch.
 *
 * <p>Engine thread only.
 */
final class FetchFloors {

    static final long LOOK_INTERVAL_MICROS = 2_000;

    private final Supplier<Boolean> supported;
    private final Supplier<Set<String>> writers;
    private final LongSupplier nanoTime;
    private Boolean enabled;
    private long lastLook;

    private long lastRound;
    /** The round waiting for its writers to finish, or 0. */
    private long openRound;

    private Set<String> openRoundWriters = Set.of();
    /** Every round up to this one is confirmed. */
    private long confirmedRound;

    /**
     * @param supported whether floors are safe on this database (asked once, when first needed)
     * @param writers the transactions that hold a lock allowing them to insert into the outbox table now
     */
    FetchFloors(Supplier<Boolean> supported, Supplier<Set<String>> writers, LongSupplier nanoTime) {
        this.supported = supported;
        this.writers = writers;
        this.nanoTime = nanoTime;
        this.lastLook = nanoTime.getAsLong() - TimeUnit.MICROSECONDS.toNanos(LOOK_INTERVAL_MICROS);
    }

    /** Called after each fetch with its partitions and the lowest seq it returned for each. */
    void fetched(List<PartitionState> partitions, Map<Integer, Long> lowestSeq) {
        if (enabled == null) {
            enabled = supported.get();
        }
        if (!enabled) {
            return;
        }
        for (PartitionState state : partitions) {
            if (state.candidateRound != 0 && state.candidateRound <= confirmedRound) {
                Long lowest = lowestSeq.get(state.partition);
                long floor = lowest == null ? state.candidateFloor : Math.min(state.candidateFloor, lowest - 1);
                state.floor = Math.max(state.floor, floor);
                state.candidateRound = 0;
            }
        }
        long now = nanoTime.getAsLong();
        if (now - lastLook < TimeUnit.MICROSECONDS.toNanos(LOOK_INTERVAL_MICROS)) {
            return;
        }
        Set<String> holders = null;
        if (openRound != 0) {
            holders = look(now);
            if (!Collections.disjoint(openRoundWriters, holders)) {
                return;
            }
            confirmedRound = openRound;
            openRound = 0;
        }
        long round = lastRound + 1;
        boolean any = false;
        for (PartitionState state : partitions) {
            Long lowest = lowestSeq.get(state.partition);
            if (state.candidateRound == 0 && lowest != null && lowest - 1 > state.floor) {
                state.candidateFloor = lowest - 1;
                state.candidateRound = round;
                any = true;
            }
        }
        if (!any) {
            return;
        }
        lastRound = round;
        // A look taken after this fetch serves as the new round's writers, also when it confirmed the previous one.
        openRoundWriters = holders != null ? holders : look(now);
        if (openRoundWriters.isEmpty()) {
            confirmedRound = round;
        } else {
            openRound = round;
        }
    }

    private Set<String> look(long now) {
        lastLook = now;
        return writers.get();
    }
}
