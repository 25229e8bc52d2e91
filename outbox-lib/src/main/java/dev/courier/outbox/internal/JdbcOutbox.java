package dev.courier.outbox.internal;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.OutboxWriter;
import dev.courier.outbox.PayloadSerializer;
import dev.courier.outbox.PayloadTooLargeException;
import dev.courier.outbox.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** The outbox on a JDBC database; stateless apart from its settings, so one instance serves all threads. */
final class JdbcOutbox implements Outbox {

    /** Rows per statement: far below PostgreSQL's 65,535 bind parameters and MySQL's packet limits. */
    static final int ROWS_PER_STATEMENT = 500;

    private static final NoArgGenerator IDS = Generators.timeBasedEpochGenerator();

    private final OutboxSettings settings;
    private final Dialect dialect;
    private final Transactions transactions;
    private final PayloadSerializer serializer;
    private final OutboxTracing tracing;
    private final OutboxMetrics metrics;
    /** Null when no wake-up is sent (MySQL, or switched off). */
    private final WakeUpSender wakeUp;

    JdbcOutbox(
            OutboxSettings settings,
            Dialect dialect,
            Transactions transactions,
            PayloadSerializer serializer,
            OutboxTracing tracing,
            OutboxMetrics metrics,
            WakeUpSender wakeUp) {
        this.settings = settings;
        this.dialect = dialect;
        this.transactions = transactions;
        this.serializer = serializer;
        this.tracing = tracing;
        this.metrics = metrics;
        this.wakeUp = wakeUp;
    }

    @Override
    public OutboxWriter on(Connection connection) {
        return new JdbcOutbox(
                settings, dialect, new ConnectionTransactions(connection), serializer, tracing, metrics, wakeUp);
    }

    @Override
    public UUID publish(OutboxMessage message) {
        return publishAll(List.of(message)).getFirst();
    }

    @Override
    public List<UUID> publishAll(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        return tracing.observe(messages.size(), () -> write(messages));
    }

    private List<UUID> write(List<OutboxMessage> messages) {
        // Serialize and check sizes first: a bad payload fails before any SQL, still inside the transaction.
        List<OutboxRow> rows = messages.stream().map(this::toRow).toList();
        transactions.inCurrentTransaction(connection -> {
            // The relay is woken after commit: by the transaction manager where it reports commits, otherwise by
            // watching this transaction end (never a NOTIFY inside it: that serializes commits).
            boolean watchCommit = wakeUp != null && !transactions.afterCommit(wakeUp.signalAction());
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                List<OutboxRow> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
                long xid = insert(connection, chunk, watchCommit && from == 0);
                if (watchCommit && from == 0) {
                    wakeUp.afterCommitOf(xid);
                }
            }
            if (settings.deleteAfterInsert()) {
                deleteInserted(connection, rows);
            }
            return null;
        });
        rows.forEach(row -> metrics.recordWrite(row.aggregateType(), row.payload() == null ? 0 : row.payload().length));
        return rows.stream().map(OutboxRow::id).toList();
    }

    private OutboxRow toRow(OutboxMessage message) {
        byte[] payload = serialize(message.payload());
        if (payload != null && payload.length > settings.maxPayloadBytes()) {
            throw new PayloadTooLargeException(payload.length, settings.maxPayloadBytes());
        }
        return new OutboxRow(
                IDS.generate(),
                message.aggregateType(),
                message.aggregateId(),
                message.type(),
                payload,
                HeadersCodec.encode(tracing.withTraceHeaders(message.headers())),
                OutboxPartitions.partitionOf(message.aggregateId(), settings.partitions()));
    }

    private byte[] serialize(Object payload) {
        if (payload == null || payload instanceof byte[]) {
            return (byte[]) payload;
        }
        return serializer.serialize(payload);
    }

    /** The WAL keeps the inserts for CDC; the table keeps nothing (PostgreSQL only, checked by the builder). */
    private void deleteInserted(Connection connection, List<OutboxRow> rows) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM " + settings.table() + " WHERE id = ANY(?)")) {
            statement.setArray(
                    1,
                    connection.createArrayOf(
                            "uuid", rows.stream().map(OutboxRow::id).toArray()));
            statement.executeUpdate();
        }
    }

    /** Inserts {@code rows}; with {@code returningTransactionId}, returns the transaction's id (otherwise 0). */
    private long insert(Connection connection, List<OutboxRow> rows, boolean returningTransactionId)
            throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(dialect.insertSql(settings.table(), rows.size(), returningTransactionId))) {
            int index = 1;
            for (OutboxRow row : rows) {
                dialect.bindId(statement, index++, row.id());
                statement.setString(index++, row.aggregateType());
                statement.setString(index++, row.aggregateId());
                statement.setString(index++, row.type());
                statement.setBytes(index++, row.payload());
                statement.setString(index++, row.headersJson());
                statement.setInt(index++, row.partition());
            }
            if (returningTransactionId) {
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
            statement.executeUpdate();
            return 0;
        }
    }

    /** Used in messages of {@link NoActiveTransactionException} so users learn both ways to publish. */
    static String howToPublish() {
        return "publish inside a transaction: a Spring @Transactional method, or outbox.on(connection) with"
                + " auto-commit off";
    }
}
