package dev.courier.notifier.delivery;

import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims due notifications and records what their attempts did. Safe with any number of instances: a claim locks
 * rows with {@code FOR UPDATE SKIP LOCKED} and moves {@code next_attempt_at} forward by the lease, so no other
 * instance sees them as due until the lease has run out.
 */
public final class ClaimStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public ClaimStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Claims up to {@code limit} due notifications of enabled endpoints, skipping those of {@code skippedEndpoints}
     * (saturated or with an open circuit here), oldest due first.
     */
    public List<Claim> claim(String leaseToken, int limit, Duration lease, Collection<UUID> skippedEndpoints) {
        String skipped = skippedEndpoints.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        return jdbc.sql("WITH due AS (SELECT n.id FROM notifier_notification n"
                        + " JOIN notifier_endpoint e ON e.id = n.endpoint_id"
                        + " WHERE n.status = 'PENDING' AND n.next_attempt_at <= now() AND e.enabled"
                        + " AND n.endpoint_id <> ALL (CAST(? AS uuid[]))"
                        + " ORDER BY n.next_attempt_at LIMIT ? FOR UPDATE OF n SKIP LOCKED)"
                        + " UPDATE notifier_notification n SET lease_owner = ?,"
                        + " next_attempt_at = now() + make_interval(secs => ?)"
                        + " FROM due, notifier_endpoint e WHERE n.id = due.id AND e.id = n.endpoint_id"
                        + " RETURNING n.id AS notification_id, n.event_type, n.body, n.headers AS notification_headers,"
                        + " n.traceparent, n.attempts, n.round_attempts, n.created_at AS notification_created_at, "
                        + EndpointStore.COLUMNS)
                .params(skipped, limit, leaseToken, lease.toMillis() / 1000.0)
                .query((rs, n) -> new Claim(
                        rs.getObject("notification_id", UUID.class),
                        EndpointStore.read(rs),
                        rs.getString("event_type"),
                        rs.getString("body"),
                        JSON.readValue(rs.getString("notification_headers"), HEADERS),
                        rs.getString("traceparent"),
                        rs.getInt("attempts"),
                        rs.getInt("round_attempts"),
                        rs.getTimestamp("notification_created_at").toInstant(),
                        leaseToken))
                .list();
    }

    /** Gives a claim back without an attempt, due again at {@code dueAt} (its endpoint was saturated or open). */
    public void handBack(Claim claim, Instant dueAt) {
        jdbc.sql("UPDATE notifier_notification SET lease_owner = NULL, next_attempt_at = ?"
                        + " WHERE id = ? AND lease_owner = ?")
                .params(Timestamp.from(dueAt), claim.notificationId(), claim.leaseToken())
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
