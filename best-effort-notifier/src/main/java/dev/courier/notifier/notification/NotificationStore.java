package dev.courier.notifier.notification;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.courier.notifier.application.ApplicationRequest;
import dev.courier.notifier.endpoint.KeyOrder;
import dev.courier.notifier.endpoint.UserHeaders;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/** Notifications and their attempts in PostgreSQL: intake, queries and the API's state changes. */
public final class NotificationStore {

    /**
     * The columns of {@link #read}. A delivery of an application message has no body of its own: it is the message's,
     * stored once for all its deliveries.
     */
    private static final String COLUMNS = "id, endpoint_id, source, idempotency_key, event_type,"
            + " COALESCE(body, (SELECT m.body FROM notifier_message m WHERE m.id = message_id)) AS body, headers,"
            + " traceparent, status, attempts, next_attempt_at, lease_owner, last_status_code, last_error,"
            + " created_at, updated_at, finished_at, feed_seq, message_id, ordering_key, " + KeyOrder.HELD;
    /** Makes notifications due now with a fresh round of their profile; a WHERE clause follows. */
    private static final String REDELIVER = "UPDATE notifier_notification SET status = 'PENDING', round_attempts = 0,"
            + " next_attempt_at = now(), lease_owner = NULL, finished_at = NULL, updated_at = now()";

    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KeyOrder keyOrder;

    public NotificationStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keyOrder = new KeyOrder(jdbc);
    }

    /** What {@link #accept} did: stored a new notification, or found the one stored earlier under the same key. */
    public record Accepted(Notification notification, boolean created) {}

    /**
     * Stores a notification due now (or held behind the pending one of its key, on an ordered endpoint), unless
     * {@code source} already holds one under {@code idempotencyKey}: then that one is returned, whatever its state.
     *
     * @param orderingKey the key it keeps its order in, only for an endpoint that is ordered; else null
     */
    public Accepted accept(
            UUID endpointId,
            String source,
            String idempotencyKey,
            String eventType,
            String body,
            Map<String, String> headers,
            String traceparent,
            String tracestate,
            String orderingKey) {
        return transactions.execute(status -> {
            if (orderingKey != null) {
                keyOrder.lockForIntake(List.of(new KeyOrder.Key(endpointId, orderingKey)));
            }
            Optional<Notification> created = jdbc.sql("INSERT INTO notifier_notification (id, endpoint_id, source,"
                            + " idempotency_key, event_type, body, headers, traceparent, tracestate, status,"
                            + " next_attempt_at, ordering_key) SELECT ?, e.id, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?,"
                            + " 'PENDING', "
                            + KeyOrder.dueOrHeld("e.id", "CAST(? AS varchar)", "e.ordering")
                            + ", CAST(? AS varchar) FROM notifier_endpoint e WHERE e.id = ?"
                            + " ON CONFLICT (source, idempotency_key) DO NOTHING RETURNING " + COLUMNS)
                    .params(
                            IDS.generate(),
                            source,
                            idempotencyKey,
                            eventType,
                            body,
                            UserHeaders.toJson(headers),
                            traceparent,
                            tracestate,
                            orderingKey,
                            orderingKey,
                            orderingKey,
                            endpointId)
                    .query((rs, n) -> read(rs))
                    .optional();
            if (created.isPresent()) {
                return new Accepted(created.get(), true);
            }
            return new Accepted(
                    jdbc.sql("SELECT " + COLUMNS
                                    + " FROM notifier_notification WHERE source = ? AND idempotency_key = ?")
                            .params(source, idempotencyKey)
                            .query((rs, n) -> read(rs))
                            .single(),
                    false);
        });
    }

    /**
     * Stores one delivery of an application message per endpoint, each due now (or held behind the pending one of
     * its key, on an ordered endpoint): a notification with the message's event type, headers and trace context, its
     * body read from the message. A message reaches an endpoint once: its delivery is keyed by message and endpoint
     * ({@code source} {@code message}). Must run in the transaction that stores the message.
     *
     * @param orderingKeys per endpoint, the key its delivery keeps its order in (null for an unordered endpoint)
     * @return how many deliveries were stored
     */
    public int fanOut(
            UUID messageId,
            List<UUID> endpointIds,
            List<String> orderingKeys,
            String eventType,
            Map<String, String> headers,
            String traceparent,
            String tracestate) {
        if (endpointIds.isEmpty()) {
            return 0;
        }
        List<KeyOrder.Key> keys = new ArrayList<>();
        for (int i = 0; i < endpointIds.size(); i++) {
            if (orderingKeys.get(i) != null) {
                keys.add(new KeyOrder.Key(endpointIds.get(i), orderingKeys.get(i)));
            }
        }
        keyOrder.lockForIntake(keys);
        return jdbc.sql("INSERT INTO notifier_notification (id, endpoint_id, source, idempotency_key, event_type,"
                        + " headers, traceparent, tracestate, status, next_attempt_at, message_id, ordering_key)"
                        + " SELECT v.id, v.endpoint_id, 'message', CAST(? AS text) || ':' || v.endpoint_id, ?,"
                        + " CAST(? AS jsonb), ?, ?, 'PENDING', "
                        + KeyOrder.dueOrHeld("v.endpoint_id", "v.ordering_key", "e.ordering")
                        + ", ?, v.ordering_key FROM unnest(?, ?, ?) AS v(id, endpoint_id, ordering_key)"
                        + " JOIN notifier_endpoint e ON e.id = v.endpoint_id"
                        + " ON CONFLICT (source, idempotency_key) DO NOTHING")
                .params(
                        messageId.toString(),
                        eventType,
                        UserHeaders.toJson(headers),
                        traceparent,
                        tracestate,
                        messageId,
                        new SqlArrayValue(
                                "uuid",
                                endpointIds.stream().map(e -> IDS.generate()).toArray()),
                        new SqlArrayValue("uuid", endpointIds.toArray()),
                        new SqlArrayValue("varchar", orderingKeys.toArray()))
                .update();
    }

    public Optional<Notification> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_notification WHERE id = ?")
                .param(id)
                .query((rs, n) -> read(rs))
                .optional();
    }

    public List<Attempt> attempts(UUID notificationId) {
        return jdbc.sql("SELECT number, instance, started_at, duration_ms, status_code, response_excerpt, error,"
                        + " outcome FROM notifier_attempt WHERE notification_id = ? ORDER BY id")
                .param(notificationId)
                .query((rs, n) -> new Attempt(
                        rs.getInt("number"),
                        rs.getString("instance"),
                        rs.getTimestamp("started_at").toInstant(),
                        rs.getLong("duration_ms"),
                        (Integer) rs.getObject("status_code"),
                        rs.getString("response_excerpt"),
                        rs.getString("error"),
                        AttemptOutcome.valueOf(rs.getString("outcome"))))
                .list();
    }

    /**
     * Which notifications a listing shows: each filter that is not null narrows it.
     *
     * @param applicationId the deliveries to any endpoint of this application
     * @param messageId the deliveries of this message
     * @param before an id from the previous page: the page after it
     */
    public record Query(
            UUID endpointId,
            String applicationId,
            UUID messageId,
            String eventType,
            NotificationStatus status,
            Instant from,
            Instant to,
            UUID before,
            int limit) {}

    /** A page of notifications, newest first. */
    public List<Notification> list(Query query) {
        if (query.applicationId() != null && !ApplicationRequest.isId(query.applicationId())) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notifier_notification WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (query.endpointId() != null) {
            sql.append(" AND endpoint_id = ?");
            params.add(query.endpointId());
        }
        if (query.applicationId() != null) {
            sql.append(" AND endpoint_id IN (SELECT e.id FROM notifier_endpoint e WHERE e.application_id = ?)");
            params.add(query.applicationId());
        }
        if (query.messageId() != null) {
            sql.append(" AND message_id = ?");
            params.add(query.messageId());
        }
        if (query.eventType() != null) {
            sql.append(" AND event_type = ?");
            params.add(query.eventType());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            params.add(query.status().name());
        }
        if (query.from() != null) {
            sql.append(" AND created_at >= ?");
            params.add(Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND created_at < ?");
            params.add(Timestamp.from(query.to()));
        }
        if (query.before() != null) {
            sql.append(" AND id < ?");
            params.add(query.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(query.limit());
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> read(rs))
                .list();
    }

    /** Every delivery of a message, in the order they were made. */
    public List<Notification> deliveries(UUID messageId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_notification WHERE message_id = ? ORDER BY id")
                .param(messageId)
                .query((rs, n) -> read(rs))
                .list();
    }

    /**
     * Makes a finished notification due now with a fresh round of its endpoint's retry profile. A notification still
     * pending is left as it is: it is already due or scheduled.
     *
     * @return whether it was finished and is now pending again
     */
    public boolean redeliver(UUID id) {
        return jdbc.sql(REDELIVER + " WHERE id = ? AND status <> 'PENDING'")
                        .param(id)
                        .update()
                > 0;
    }

    /**
     * Makes the finished deliveries of a message due again with a fresh round: all of them, or the one to {@code
     * endpointId} when it is not null.
     *
     * @return how many are pending again
     */
    public int redeliverMessage(UUID messageId, UUID endpointId) {
        return jdbc.sql(REDELIVER + " WHERE message_id = ? AND (CAST(? AS uuid) IS NULL OR endpoint_id = ?)"
                        + " AND status <> 'PENDING'")
                .params(messageId, endpointId, endpointId)
                .update();
    }

    /**
     * Redelivers the finished notifications accepted in {@code [from, to)} that did not reach their endpoint: those
     * of {@code endpointId}, or of every endpoint of {@code applicationId} (whichever is not null; both narrow).
     *
     * @return how many are pending again
     */
    public int recover(UUID endpointId, String applicationId, Instant from, Instant to, boolean includeDelivered) {
        if (endpointId == null && applicationId == null) {
            throw new IllegalArgumentException("a recovery names an endpoint or an application");
        }
        return jdbc.sql(REDELIVER
                        + " WHERE (CAST(? AS uuid) IS NULL OR endpoint_id = ?)"
                        + " AND (CAST(? AS varchar) IS NULL OR endpoint_id IN"
                        + " (SELECT e.id FROM notifier_endpoint e WHERE e.application_id = ?))"
                        + " AND created_at >= ? AND created_at < ?"
                        + " AND status IN ('GAVE_UP', 'CANCELLED'" + (includeDelivered ? ", 'DELIVERED'" : "") + ")")
                .params(endpointId, endpointId, applicationId, applicationId, Timestamp.from(from), Timestamp.from(to))
                .update();
    }

    /**
     * Cancels a pending notification. An attempt already in flight still completes and is recorded, but does not
     * change the state. On an ordered endpoint, the next delivery of its key goes next.
     *
     * @return whether it was pending and is now cancelled
     */
    public boolean cancel(UUID id) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<KeyOrder.Key> key = jdbc.sql("SELECT endpoint_id, ordering_key FROM notifier_notification"
                            + " WHERE id = ? AND ordering_key IS NOT NULL")
                    .param(id)
                    .query((rs, n) -> new KeyOrder.Key(rs.getObject(1, UUID.class), rs.getString(2)))
                    .optional();
            key.ifPresent(k -> keyOrder.lock(List.of(k)));
            boolean cancelled = jdbc.sql("UPDATE notifier_notification SET status = 'CANCELLED', lease_owner = NULL,"
                                    + " finished_at = now(), updated_at = now() WHERE id = ? AND status = 'PENDING'")
                            .param(id)
                            .update()
                    > 0;
            if (cancelled) {
                key.ifPresent(k -> keyOrder.settle(List.of(k)));
            }
            return cancelled;
        }));
    }

    /**
     * The endpoint's notifications after {@code cursor} in acceptance order, for receivers reconciling what they
     * missed. Only those accepted at least {@code settle} ago, so that a cursor never passes a notification whose
     * intake commits late.
     */
    public List<Notification> feed(UUID endpointId, long cursor, int limit, Duration settle) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_notification WHERE endpoint_id = ? AND feed_seq > ?"
                        + " AND created_at <= now() - make_interval(secs => ?) ORDER BY feed_seq LIMIT ?")
                .params(endpointId, cursor, settle.toMillis() / 1000.0, limit)
                .query((rs, n) -> read(rs))
                .list();
    }

    /** The outcomes of the endpoints' attempts started after {@code since}, counted per endpoint (none: absent). */
    public Map<UUID, Map<String, Long>> attemptOutcomes(List<UUID> endpointIds, Instant since) {
        Map<UUID, Map<String, Long>> outcomes = new HashMap<>();
        jdbc.sql("SELECT n.endpoint_id, a.outcome, count(*) AS n FROM notifier_attempt a JOIN notifier_notification n"
                        + " ON n.id = a.notification_id WHERE n.endpoint_id = ANY(?) AND a.started_at > ?"
                        + " GROUP BY n.endpoint_id, a.outcome")
                .params(new SqlArrayValue("uuid", endpointIds.toArray()), Timestamp.from(since))
                .query(rs -> {
                    outcomes.computeIfAbsent(rs.getObject(1, UUID.class), id -> new TreeMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                });
        return outcomes;
    }

    /** The endpoints' notifications not yet finished, per endpoint (none: absent). */
    public Map<UUID, Long> pending(List<UUID> endpointIds) {
        Map<UUID, Long> pending = new HashMap<>();
        jdbc.sql("SELECT endpoint_id, count(*) FROM notifier_notification WHERE endpoint_id = ANY(?)"
                        + " AND status = 'PENDING' GROUP BY endpoint_id")
                .param(new SqlArrayValue("uuid", endpointIds.toArray()))
                .query(rs -> {
                    pending.put(rs.getObject(1, UUID.class), rs.getLong(2));
                });
        return pending;
    }

    private static Notification read(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Notification(
                rs.getObject("id", UUID.class),
                rs.getObject("endpoint_id", UUID.class),
                rs.getString("source"),
                rs.getString("idempotency_key"),
                rs.getString("event_type"),
                rs.getString("body"),
                UserHeaders.fromJson(rs.getString("headers")),
                rs.getString("traceparent"),
                NotificationStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(),
                rs.getString("lease_owner") != null,
                (Integer) rs.getObject("last_status_code"),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                rs.getLong("feed_seq"),
                rs.getObject("message_id", UUID.class),
                rs.getString("ordering_key"),
                rs.getBoolean("held"));
    }
}
