package dev.courier.notifier.endpoint;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * The gate of ordered endpoints ({@link Ordering}): deliveries of one ordering key go one at a time, in acceptance
 * order. A delivery accepted while another of its key is pending on the endpoint (or, in {@code ordered-stop}, one
 * has given up) is <em>held</em>: its {@code next_attempt_at} is {@code 'infinity'}, so no claim ever reads it. When a
 * delivery of the key finishes, {@link #settle} makes the next one due, unless something still holds it.
 *
 * <p>Only deliveries to an endpoint that is ordered when they are accepted carry an ordering key; the others are never
 * held. Whoever holds or releases takes the key's lock first ({@link #lock}, a transaction-scoped advisory lock): an
 * intake that finds the head pending and a finish that releases the next cannot miss each other, whichever commits
 * first, so no delivery is held for ever; and two intakes of one key are numbered ({@code feed_seq}) in the order they
 * took the lock, which is the order they are sent in.
 */
public final class KeyOrder {

    /** An ordered key of one endpoint. */
    public record Key(UUID endpointId, String orderingKey) {}

    private final JdbcClient jdbc;

    public KeyOrder(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The {@code next_attempt_at} a new delivery gets: now, or held. A SQL expression over the new delivery's endpoint
     * id, ordering key and its endpoint's {@code ordering} column, given as SQL expressions.
     */
    public static String dueOrHeld(String endpointId, String orderingKey, String ordering) {
        return "CASE WHEN " + ordering + " IS NOT NULL AND " + orderingKey + " IS NOT NULL AND EXISTS (SELECT 1"
                + " FROM notifier_notification p WHERE p.endpoint_id = " + endpointId + " AND p.ordering_key = "
                + orderingKey + " AND (p.status = 'PENDING' OR (p.status = 'GAVE_UP' AND " + ordering
                + " = 'stop'))) THEN CAST('infinity' AS timestamptz) ELSE now() END";
    }

    /** Whether a stored delivery is held: a SQL expression over its {@code next_attempt_at}, named {@code held}. */
    public static final String HELD = "next_attempt_at = CAST('infinity' AS timestamptz) AS held";

    /**
     * Takes the locks of {@code keys} until the transaction ends, in one order everywhere (by hash), so that two
     * transactions locking several keys cannot deadlock. Must run inside a transaction.
     */
    public void lock(Collection<Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.sql("SELECT pg_advisory_xact_lock(x.h) FROM (SELECT DISTINCT hashtextextended(CAST(k.endpoint_id AS text)"
                        + " || '/' || k.ordering_key, 0) AS h FROM unnest(?, ?) AS k(endpoint_id, ordering_key)) x"
                        + " ORDER BY x.h")
                .params(endpoints(keys), orderingKeys(keys))
                .query((rs, n) -> n)
                .list();
    }

    /**
     * Before deliveries of {@code keys} are accepted: their endpoints' rows are share-locked (so that a change of an
     * endpoint's ordering waits for these deliveries and then releases them, or is seen by them), then the keys are
     * locked ({@link #lock}). Must run inside a transaction.
     */
    public void lockForIntake(Collection<Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.sql("SELECT e.id FROM notifier_endpoint e WHERE e.id = ANY (?) ORDER BY e.id FOR SHARE")
                .param(endpoints(keys))
                .query((rs, n) -> n)
                .list();
        lock(keys);
    }

    /**
     * Makes the first pending delivery of each key due when it is held and nothing holds it any longer (no earlier
     * pending delivery; in {@code ordered-stop}, no earlier one that gave up). Run after deliveries of these keys
     * finished, with their locks held.
     *
     * @return how many were released
     */
    public int settle(Collection<Key> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        return jdbc.sql("UPDATE notifier_notification n SET next_attempt_at = now()"
                        + " FROM (SELECT DISTINCT ON (p.endpoint_id, p.ordering_key) p.id, p.endpoint_id,"
                        + " p.ordering_key, p.feed_seq, p.next_attempt_at FROM notifier_notification p"
                        + " JOIN (SELECT DISTINCT u.endpoint_id, u.ordering_key FROM unnest(?, ?)"
                        + " AS u(endpoint_id, ordering_key)) k"
                        + " ON p.endpoint_id = k.endpoint_id AND p.ordering_key = k.ordering_key"
                        + " WHERE p.ordering_key IS NOT NULL AND p.status = 'PENDING'"
                        + " ORDER BY p.endpoint_id, p.ordering_key, p.feed_seq) head"
                        + " JOIN notifier_endpoint e ON e.id = head.endpoint_id"
                        + " WHERE n.id = head.id AND head.next_attempt_at = CAST('infinity' AS timestamptz)"
                        + " AND (e.ordering IS DISTINCT FROM 'stop' OR NOT EXISTS (SELECT 1 FROM notifier_notification g"
                        + " WHERE g.endpoint_id = head.endpoint_id AND g.ordering_key = head.ordering_key"
                        + " AND g.ordering_key IS NOT NULL AND g.status = 'GAVE_UP' AND g.feed_seq < head.feed_seq))")
                .params(endpoints(keys), orderingKeys(keys))
                .update();
    }

    /**
     * After the endpoint's ordering changed: unordered, every held delivery is due at once; ordered, each key is
     * settled again (an {@code ordered-stop} endpoint turned {@code ordered} releases the keys its given-up deliveries
     * stopped).
     */
    public void reorder(UUID endpointId, Ordering ordering) {
        if (!ordering.ordered()) {
            jdbc.sql("UPDATE notifier_notification SET next_attempt_at = now() WHERE endpoint_id = ?"
                            + " AND status = 'PENDING' AND next_attempt_at = CAST('infinity' AS timestamptz)")
                    .param(endpointId)
                    .update();
            return;
        }
        List<Key> held = jdbc
                .sql("SELECT DISTINCT ordering_key FROM notifier_notification WHERE endpoint_id = ?"
                        + " AND status = 'PENDING' AND ordering_key IS NOT NULL"
                        + " AND next_attempt_at = CAST('infinity' AS timestamptz)")
                .param(endpointId)
                .query(String.class)
                .list()
                .stream()
                .map(key -> new Key(endpointId, key))
                .toList();
        lock(held);
        settle(held);
    }

    private static SqlArrayValue endpoints(Collection<Key> keys) {
        return new SqlArrayValue("uuid", keys.stream().map(Key::endpointId).toArray());
    }

    private static SqlArrayValue orderingKeys(Collection<Key> keys) {
        return new SqlArrayValue("varchar", keys.stream().map(Key::orderingKey).toArray());
    }
}
