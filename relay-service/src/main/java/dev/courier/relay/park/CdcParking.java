package dev.courier.relay.park;

import dev.courier.outbox.schema.OutboxTable;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Release;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.source.OutboxRecord;
import dev.courier.relay.source.OutboxSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parking table as a change stream uses it (cdc mode). A stream cannot leave messages in the outbox table to be
 * fetched later, so it parks a failing message from the values the event carried, keeps the later messages of its key
 * in the parking table as {@code HELD}, and on an operator's request publishes the key's chain itself, in order.
 *
 * <p>Every write is idempotent: the stream re-delivers the events of a batch whose offset was not stored yet.
 */
public final class CdcParking {

    private static final String COLUMNS = OutboxTable.list("", OutboxTable.ROW);

    /** A message that waits behind its key's parked message. */
    static final String HELD = "HELD";

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;
    private final String values;

    public CdcParking(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
        this.values = dialect.uuidParameter() + ", ?, ?, ?, ?, " + dialect.jsonParameter() + ", ?, ?, ?, ?, ?";
    }

    /** A request of an operator to release a parked message's key, waiting for the stream's leader. */
    public record ReleaseRequest(OutboxRecord head, Release release) {

        public MessageKey key() {
            return MessageKey.of(head);
        }
    }

    /** The keys whose messages wait behind a parked one. */
    public Set<MessageKey> parkedKeys() {
        return new HashSet<>(jdbc.query(
                "SELECT DISTINCT aggregatetype, aggregateid FROM " + tables.parked() + " WHERE status = 'PARKED'",
                statement -> {},
                row -> new MessageKey(row.getString(1), row.getString(2))));
    }

    /**
     * Parks {@code record} after {@code attempts} failed attempts: a new parked message, or the same message parked
     * anew (a replay failed again, or a held message of a released key failed). Removes it from the outbox table.
     */
    public void park(OutboxRecord record, int attempts, String error) {
        String message = error.length() > 4000 ? error.substring(0, 4000) : error;
        jdbc.inTransaction(connection -> {
            Jdbc.update(
                    connection,
                    dialect.upsert(
                            tables.parked(),
                            COLUMNS + ", attempts, error, status",
                            values + ", 'PARKED'",
                            "id",
                            "status = 'PARKED', attempts = " + dialect.excluded("attempts") + ", error = "
                                    + dialect.excluded("error") + ", parked_at = " + dialect.now()
                                    + ", release_request = NULL, resolved_at = NULL"),
                    statement -> bind(statement, record, attempts, message));
            removeFromOutbox(connection, record);
            return null;
        });
    }

    /** Keeps {@code records} behind their key's parked message, in the given (stream) order by seq. */
    public void hold(List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbc.inTransaction(connection -> {
            for (OutboxRecord record : records) {
                Jdbc.update(
                        connection,
                        dialect.insertIgnore(
                                tables.parked(), COLUMNS + ", attempts, error, status", values + ", '" + HELD + "'"),
                        statement -> bind(statement, record, 0, "waits behind a parked message of its key"));
                removeFromOutbox(connection, record);
            }
            return null;
        });
    }

    /** Parked messages an operator asked to replay or skip, oldest first. */
    public List<ReleaseRequest> releaseRequests() {
        return jdbc.query(
                "SELECT " + COLUMNS + ", 0, release_request FROM " + tables.parked()
                        + " WHERE status = 'PARKED' AND release_request IS NOT NULL ORDER BY parked_at, seq",
                statement -> {},
                row -> new ReleaseRequest(OutboxSource.record(row), Release.valueOf(row.getString(11))));
    }

    /** The messages held behind {@code key}'s parked message, in key order. */
    public List<OutboxRecord> heldBehind(MessageKey key) {
        return jdbc.query(
                "SELECT " + COLUMNS + ", 0 FROM " + tables.parked() + " WHERE status = '" + HELD
                        + "' AND aggregatetype = ? AND aggregateid = ? ORDER BY seq",
                statement -> {
                    statement.setString(1, key.aggregateType());
                    statement.setString(2, key.aggregateId());
                },
                OutboxSource::record);
    }

    /**
     * Ends a release after its messages were published: the head becomes REPLAYED or SKIPPED unless it was parked
     * anew, and the published held messages are gone.
     */
    public void finish(ReleaseRequest request, boolean headParkedAgain, List<OutboxRecord> published) {
        jdbc.inTransaction(connection -> {
            if (!headParkedAgain) {
                Jdbc.update(
                        connection,
                        "UPDATE " + tables.parked() + " SET status = ?, release_request = NULL, resolved_at = "
                                + dialect.now() + " WHERE id = " + dialect.uuidParameter() + " AND status = 'PARKED'",
                        statement -> {
                            statement.setString(1, request.release().resolvedStatus());
                            statement.setString(2, request.head().id());
                        });
            }
            for (OutboxRecord record : published) {
                Jdbc.update(
                        connection,
                        "DELETE FROM " + tables.parked() + " WHERE id = " + dialect.uuidParameter() + " AND status = '"
                                + HELD + "'",
                        statement -> statement.setString(1, record.id()));
            }
            return null;
        });
    }

    private void removeFromOutbox(Connection connection, OutboxRecord record) throws SQLException {
        Jdbc.update(connection, "DELETE FROM " + tables.outbox() + " WHERE partition_no = ? AND seq = ?", statement -> {
            statement.setInt(1, record.partition());
            statement.setLong(2, record.seq());
        });
    }

    private static void bind(PreparedStatement statement, OutboxRecord record, int attempts, String error)
            throws SQLException {
        statement.setString(1, record.id());
        statement.setString(2, record.aggregateType());
        statement.setString(3, record.aggregateId());
        statement.setString(4, record.type());
        statement.setBytes(5, record.payload());
        statement.setString(6, record.headersJson());
        statement.setInt(7, record.partition());
        statement.setLong(8, record.seq());
        statement.setTimestamp(9, Timestamp.from(record.createdAt()));
        statement.setInt(10, attempts);
        statement.setString(11, error);
    }
}
