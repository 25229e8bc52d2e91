package dev.courier.relay.cdc;

import dev.courier.relay.Release;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.park.CdcParking;
import dev.courier.relay.park.CdcParking.ReleaseRequest;
import dev.courier.relay.park.MessageKey;
import dev.courier.relay.source.OutboxRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poison messages in the change stream, as the leader's handler thread sees them: failed attempts per message, the
 * keys held back by a parked message, and the messages held behind them.
 *
 * <p>The set of held keys is read from the parking table whenever an engine starts (another leader may have parked or
 * released meanwhile) and afterwards changes only on this thread, in stream order: a key is held from the event that
 * parked its message until the release of the chain was published. Every method that writes may throw when the
 * database is unreachable, before it changed anything in memory; the handler retries it.
 */
final class ParkedKeys {

    private static final Logger log = LoggerFactory.getLogger(ParkedKeys.class);

    private final CdcParking store;
    private final RelayMetrics metrics;
    private final int maxAttempts;
    private final Set<MessageKey> held = new HashSet<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private volatile boolean stale = true;

    ParkedKeys(CdcParking store, RelayMetrics metrics, int maxAttempts) {
        this.store = store;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
    }

    /** Forgets what this instance knew: called when an engine starts. */
    void forget() {
        stale = true;
    }

    boolean stale() {
        return stale;
    }

    void load() {
        Set<MessageKey> parked = store.parkedKeys();
        held.clear();
        held.addAll(parked);
        attempts.clear();
        stale = false;
        if (!parked.isEmpty()) {
            log.info("{} keys wait behind parked messages; their new messages are held until released", parked.size());
        }
    }

    boolean anyHeld() {
        return !held.isEmpty();
    }

    /** Holds the messages of held keys in the parking table; returns the others, in their order. */
    List<OutboxRecord> holdBack(List<OutboxRecord> rows) {
        if (held.isEmpty()) {
            return rows;
        }
        List<OutboxRecord> free = new ArrayList<>(rows.size());
        List<OutboxRecord> holding = new ArrayList<>();
        for (OutboxRecord row : rows) {
            (held.contains(MessageKey.of(row)) ? holding : free).add(row);
        }
        store.hold(holding);
        return free;
    }

    /** Counts a refused attempt of {@code row}; true once it has had all its attempts and is to be parked. */
    boolean refused(OutboxRecord row) {
        return attempts.merge(row.id(), 1, Integer::sum) >= maxAttempts;
    }

    void published(OutboxRecord row) {
        if (!attempts.isEmpty()) {
            attempts.remove(row.id());
        }
    }

    /** Parks {@code row} with its last error; its key is held from now on. */
    void park(OutboxRecord row, String error) {
        int attempted = attempts.getOrDefault(row.id(), maxAttempts);
        store.park(row, attempted, error);
        attempts.remove(row.id());
        held.add(MessageKey.of(row));
        metrics.parked();
        log.warn(
                "Parked message {} ({} {}) after {} attempts: {}; later messages of its key are held until it is"
                        + " replayed or skipped",
                row.id(),
                row.aggregateType(),
                row.aggregateId(),
                attempted,
                error);
    }

    List<ReleaseRequest> releaseRequests() {
        return store.releaseRequests();
    }

    /**
     * The messages a release publishes, in key order: the parked one when replayed, then those held behind it. The key
     * is no longer held while they go out, so that a message of the chain that fails for good can be parked anew.
     */
    List<OutboxRecord> startRelease(ReleaseRequest request) {
        List<OutboxRecord> chain = new ArrayList<>();
        if (request.release() == Release.REPLAY) {
            chain.add(request.head());
        }
        chain.addAll(store.heldBehind(request.key()));
        held.remove(request.key());
        return chain;
    }

    /** Records a release whose chain went out as far as {@code published}; the key stays held if one was parked. */
    void finishRelease(ReleaseRequest request, List<OutboxRecord> published) {
        boolean headParkedAgain = request.release() == Release.REPLAY
                && published.stream()
                        .noneMatch(row -> row.id().equals(request.head().id()));
        store.finish(request, headParkedAgain, published);
        log.info(
                "Released key {} {} ({} {}): {} messages published",
                request.key().aggregateType(),
                request.key().aggregateId(),
                request.release(),
                request.head().id(),
                published.size());
    }
}
