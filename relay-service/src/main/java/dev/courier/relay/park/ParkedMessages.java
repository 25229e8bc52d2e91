package dev.courier.relay.park;

import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Release;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The parking table as every mode and the admin API read it: parked messages by status or id, the count that health
 * reports, and an operator's release request for a cdc leader to carry out. The writes of each mode are {@link
 * PollingParking} and {@link CdcParking}.
 */
public final class ParkedMessages {

    private final String selectParked;
    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;

    public ParkedMessages(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
        this.selectParked = "SELECT id, aggregatetype, aggregateid, type, partition_no, seq, created_at, attempts,"
                + " error, parked_at, status, payload, release_request FROM " + tables.parked();
    }

    public List<ParkedMessage> list(String status, int limit) {
        return jdbc.query(
                selectParked + " WHERE status = ? ORDER BY parked_at, seq LIMIT ?",
                statement -> {
                    statement.setString(1, status);
                    statement.setInt(2, limit);
                },
                ParkedMessages::parkedMessage);
    }

    public Optional<ParkedMessage> find(String id) {
        return jdbc
                .query(
                        selectParked + " WHERE id = " + dialect.uuidParameter(),
                        statement -> statement.setString(1, id),
                        ParkedMessages::parkedMessage)
                .stream()
                .findFirst();
    }

    /**
     * Records an operator's release of a parked message for a change stream's leader to carry out (cdc mode): the
     * leader publishes the key's chain from its own thread, in stream order.
     *
     * @return false when there is no parked message with this id
     */
    public boolean requestRelease(String id, Release release) {
        return jdbc.update(
                        "UPDATE " + tables.parked() + " SET release_request = ? WHERE id = " + dialect.uuidParameter()
                                + " AND status = 'PARKED'",
                        statement -> {
                            statement.setString(1, release.name());
                            statement.setString(2, id);
                        })
                > 0;
    }

    public long countParked() {
        return jdbc.query(
                        "SELECT count(*) FROM " + tables.parked() + " WHERE status = 'PARKED'",
                        statement -> {},
                        row -> row.getLong(1))
                .getFirst();
    }

    private static ParkedMessage parkedMessage(ResultSet row) throws SQLException {
        byte[] payload = row.getBytes(12);
        return new ParkedMessage(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getInt(5),
                row.getLong(6),
                instant(row.getTimestamp(7)),
                row.getInt(8),
                row.getString(9),
                instant(row.getTimestamp(10)),
                row.getString(11),
                payload == null ? 0 : payload.length,
                row.getString(13),
                ParkedMessage.preview(payload));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
