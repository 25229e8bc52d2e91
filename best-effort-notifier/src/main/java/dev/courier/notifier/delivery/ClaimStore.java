package dev.courier.notifier.delivery;

import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.endpoint.UserHeaders;
import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims due notifications and records what their attempts did. Safe with any number of instances: a claim locks
 * rows with {@code FOR UPDATE SKIP LOCKED} and moves {@code next_attempt_at} forward by the lease, so no other
 * instance sees them as due until the lease has run out.
 */
public final class ClaimStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public ClaimStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** How many due rows a claim looks at per row it may take, to share the claim fairly among endpoints. */
    static final int CANDIDATES_PER_CLAIM = 10;

    /**
     * Claims up to {@code limit} due notifications of enabled endpoints, skipping those of {@code skippedEndpoints}
     * (saturated or with an open circuit here). Endpoints take turns: each endpoint's oldest due notification comes
     * before any endpoint's second, and no endpoint gets more than its max concurrency, so an endpoint with a large
     * backlog (a dead one retrying) cannot fill a claim while others wait.
     */
    public List<Claim> claim(String leaseToken, int limit, Duration lease, Collection<UUID> skippedEndpoints) {
        String skipped = skippedEndpoints.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        return jdbc.sql("WITH candidates AS (SELECT n.id, n.endpoint_id, n.next_attempt_at"
                        + " FROM notifier_notification n JOIN notifier_endpoint e ON e.id = n.endpoint_id"
                        + " WHERE n.status = 'PENDING' AND n.next_attempt_at <= now() AND e.enabled"
                        + " AND n.endpoint_id <> ALL (CAST(? AS uuid[])) ORDER BY n.next_attempt_at LIMIT ?),"
                        + " ranked AS (SELECT c.id, c.next_attempt_at, e.max_concurrency,"
                        + " row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.next_attempt_at) AS turn"
                        + " FROM candidates c JOIN notifier_endpoint e ON e.id = c.endpoint_id),"
                        + " due AS (SELECT n.id FROM notifier_notification n JOIN ranked r ON r.id = n.id"
                        + " WHERE r.turn <= r.max_concurrency AND n.status = 'PENDING' AND n.next_attempt_at <= now()"
                        + " ORDER BY r.turn, r.next_attempt_at LIMIT ? FOR UPDATE OF n SKIP LOCKED)"
                        + " UPDATE notifier_notification n SET lease_owner = ?,"
                        + " next_attempt_at = now() + make_interval(secs => ?)"
                        // ANY(ARRAY(...)) makes the update find its rows by primary key whatever the planner
                        // believes about the CTE (right after a bulk insert it may believe nothing is due).
                        + " FROM notifier_endpoint e WHERE n.id = ANY (ARRAY(SELECT id FROM due))"
                        + " AND e.id = n.endpoint_id"
                        + " RETURNING n.id AS notification_id, n.event_type, n.body, n.headers AS notification_headers,"
                        + " n.traceparent, n.attempts, n.round_attempts, n.created_at AS notification_created_at, "
                        + EndpointStore.COLUMNS)
                .params(skipped, limit * CANDIDATES_PER_CLAIM, limit, leaseToken, lease.toMillis() / 1000.0)
                .query((rs, n) -> new Claim(
                        rs.getObject("notification_id", UUID.class),
                        EndpointStore.read(rs),
                        rs.getString("event_type"),
                        rs.getString("body"),
                        UserHeaders.fromJson(rs.getString("notification_headers")),
                        rs.getString("traceparent"),
                        rs.getInt("attempts"),
                        rs.getInt("round_attempts"),
                        rs.getTimestamp("notification_created_at").toInstant(),
                        leaseToken))
                .list();
    }

    /** A claim to give back unsent, due again at {@code dueAt} (its endpoint was saturated or its circuit open). */
    public record HandBack(Claim claim, Instant dueAt) {}

    /** Gives claims back without an attempt, in one statement. */
    public void handBack(List<HandBack> handBacks) {
        if (handBacks.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE notifier_notification n SET lease_owner = NULL, next_attempt_at = v.due"
                        + " FROM unnest(CAST(? AS uuid[]), CAST(? AS timestamptz[]), CAST(? AS text[])) AS v(id, due, token)"
                        + " WHERE n.id = v.id AND n.lease_owner = v.token")
                .params(
                        array(handBacks.stream()
                                .map(h -> h.claim().notificationId().toString())),
                        array(handBacks.stream().map(h -> h.dueAt().toString())),
                        array(handBacks.stream().map(h -> h.claim().leaseToken())))
                .update();
    }

    /** A PostgreSQL array literal of plain values (UUIDs, ISO instants, lease tokens: no quotes or commas). */
    private static String array(Stream<String> values) {
        return values.map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * Moves the endpoint's due notifications that nobody holds to {@code until}, without counting an attempt: its
     * circuit just opened, and leaving them due would make every claim read past them until it closes.
     *
     * @return how many were moved
     */
    public int postpone(UUID endpointId, Instant until) {
        return jdbc.sql(
                        "UPDATE notifier_notification SET next_attempt_at = ? WHERE endpoint_id = ?"
                                + " AND status = 'PENDING' AND next_attempt_at < ? AND (lease_owner IS NULL OR next_attempt_at <= now())")
                .params(Timestamp.from(until), endpointId, Timestamp.from(until))
                .update();
    }

    /** What one attempt did, as recorded. */
    public record AttemptRecord(
            String instance,
            Instant startedAt,
            long durationMs,
            Integer statusCode,
            String responseExcerpt,
            String error,
            AttemptOutcome outcome) {}

    /**
     * Records the attempt and the notification's new state in one transaction. The attempt is always recorded (it
     * was sent); the state changes only while the claim's lease token is still in the row and the notification is
     * still pending (not cancelled, not reclaimed after a lost lease).
     *
     * @return whether the state changed
     */
    public boolean finish(Claim claim, AttemptRecord attempt, NotificationStatus status, Instant nextAttemptAt) {
        Boolean changed = transactions.execute(tx -> {
            jdbc.sql("INSERT INTO notifier_attempt (notification_id, number, instance, started_at, duration_ms,"
                            + " status_code, response_excerpt, error, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            claim.notificationId(),
                            claim.attemptsMade() + 1,
                            attempt.instance(),
                            Timestamp.from(attempt.startedAt()),
                            (int) Math.min(Integer.MAX_VALUE, attempt.durationMs()),
                            attempt.statusCode(),
                            attempt.responseExcerpt(),
                            truncate(attempt.error()),
                            attempt.outcome().name())
                    .update();
            return jdbc.sql("UPDATE notifier_notification SET status = ?, attempts = attempts + 1,"
                                    + " round_attempts = round_attempts + 1, next_attempt_at = ?, lease_owner = NULL,"
                                    + " last_status_code = ?, last_error = ?, updated_at = now(),"
                                    + " finished_at = CASE WHEN ? = 'PENDING' THEN NULL ELSE now() END"
                                    + " WHERE id = ? AND lease_owner = ? AND status = 'PENDING'")
                            .params(
                                    status.name(),
                                    Timestamp.from(nextAttemptAt),
                                    attempt.statusCode(),
                                    truncate(attempt.error()),
                                    status.name(),
                                    claim.notificationId(),
                                    claim.leaseToken())
                            .update()
                    > 0;
        });
        return Boolean.TRUE.equals(changed);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
    }
}
