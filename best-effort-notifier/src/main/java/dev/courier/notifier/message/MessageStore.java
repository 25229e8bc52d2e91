package dev.courier.notifier.message;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.courier.notifier.application.ApplicationRequest;
import dev.courier.notifier.endpoint.UserHeaders;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/** Application messages in PostgreSQL; their deliveries are notifications ({@code notification.NotificationStore}). */
public final class MessageStore {

    private static final String COLUMNS = "id, application_id, source, idempotency_key, event_type, channels, body,"
            + " headers, traceparent, tracestate, ordering_key, created_at";
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final JdbcClient jdbc;

    public MessageStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the message under a new id, unless its application holds one under its key already: then empty. */
    Optional<Message> insert(Message message) {
        return jdbc.sql("INSERT INTO notifier_message (id, application_id, source, idempotency_key, event_type,"
                        + " channels, body, headers, traceparent, tracestate, ordering_key)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)"
                        + " ON CONFLICT (application_id, idempotency_key) DO NOTHING RETURNING " + COLUMNS)
                .params(
                        IDS.generate(),
                        message.applicationId(),
                        message.source(),
                        message.idempotencyKey(),
                        message.eventType(),
                        new SqlArrayValue("varchar", message.channels().toArray()),
                        message.body(),
                        UserHeaders.toJson(message.headers()),
                        message.traceparent(),
                        message.tracestate(),
                        message.orderingKey())
                .query((rs, n) -> read(rs))
                .optional();
    }

    Optional<Message> findByKey(String applicationId, String idempotencyKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_message WHERE application_id = ? AND idempotency_key = ?")
                .params(applicationId, idempotencyKey)
                .query((rs, n) -> read(rs))
                .optional();
    }

    /** The message, when it exists and belongs to the application. */
    public Optional<Message> find(String applicationId, UUID id) {
        if (!ApplicationRequest.isId(applicationId)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_message WHERE application_id = ? AND id = ?")
                .params(applicationId, id)
                .query((rs, n) -> read(rs))
                .optional();
    }

    /** A page of the application's messages, newest first, of {@code eventType} when it is not null. */
    public List<Message> list(String applicationId, String eventType, UUID before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notifier_message WHERE application_id = ?");
        List<Object> params = new ArrayList<>(List.of(applicationId));
        if (eventType != null) {
            sql.append(" AND event_type = ?");
            params.add(eventType);
        }
        if (before != null) {
            sql.append(" AND id < ?");
            params.add(before);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> read(rs))
                .list();
    }

    private static Message read(ResultSet rs) throws SQLException {
        return new Message(
                rs.getObject("id", UUID.class),
                rs.getString("application_id"),
                rs.getString("source"),
                rs.getString("idempotency_key"),
                rs.getString("event_type"),
                List.of((String[]) rs.getArray("channels").getArray()),
                rs.getString("body"),
                UserHeaders.fromJson(rs.getString("headers")),
                rs.getString("traceparent"),
                rs.getString("tracestate"),
                rs.getString("ordering_key"),
                rs.getTimestamp("created_at").toInstant());
    }
}
