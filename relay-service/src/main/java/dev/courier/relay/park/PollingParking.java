package dev.courier.relay.park;

import dev.courier.outbox.schema.OutboxTable;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Lease;
import dev.courier.relay.Release;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.source.OutboxRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The parking table as the polling mode writes it: failed attempts charged and, at the limit, the message moved out
 * of the outbox; an operator's release carried out at once. Charging an attempt is fenced like a delete: only the
 * partition's current owner may count or park. Replay puts the message back with its original sequence number, so it
 * goes out before the later messages of its key that waited behind it.
 */
public final class PollingParking {

    private static final String COLUMNS = OutboxTable.list("", OutboxTable.ROW);

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;

    public PollingParking(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
    }

    /** What {@link #chargeAttempt} did. */
    public enum Charge {
        COUNTED,
        PARKED,
        LEASE_LOST
    }

    /**
     * Counts one failed attempt of {@code record}; at {@code maxAttempts} moves it to the parking table with
     * {@code error}. Does nothing when {@code member} no longer holds {@code lease}.
     */
    public Charge chargeAttempt(String member, Lease lease, OutboxRecord record, String error, int maxAttempts) {
        String message = error.length() > 4000 ? error.substring(0, 4000) : error;
        int attempts = record.attempts() + 1;
        return jdbc.inTransaction(connection -> {
            if (!holds(connection, member, lease)) {
                return Charge.LEASE_LOST;
            }
            if (attempts < maxAttempts) {
                Jdbc.update(
                        connection,
                        dialect.upsert(
                                tables.attempt(),
                                "id, attempts, last_error, updated_at",
                                dialect.uuidParameter() + ", ?, ?, " + dialect.now(),
                                "id",
                                "attempts = " + dialect.excluded("attempts") + ", last_error = "
                                        + dialect.excluded("last_error") + ", updated_at = "
                                        + dialect.excluded("updated_at")),
                        statement -> {
                            statement.setString(1, record.id());
                            statement.setInt(2, attempts);
                            statement.setString(3, message);
                        });
                return Charge.COUNTED;
            }
            // A message replayed earlier and failing again is parked anew under the same id.
            Jdbc.update(
                    connection,
                    "DELETE FROM " + tables.parked() + " WHERE id = " + dialect.uuidParameter()
                            + " AND status <> 'PARKED'",
                    statement -> statement.setString(1, record.id()));
            Jdbc.update(
                    connection,
                    "INSERT INTO " + tables.parked() + " (" + COLUMNS + ", attempts, error) SELECT " + COLUMNS
                            + ", ?, ? FROM " + tables.outbox() + " WHERE partition_no = ? AND seq = ?",
                    statement -> {
                        statement.setInt(1, attempts);
                        statement.setString(2, message);
                        statement.setInt(3, record.partition());
                        statement.setLong(4, record.seq());
                    });
            Jdbc.update(
                    connection, "DELETE FROM " + tables.outbox() + " WHERE partition_no = ? AND seq = ?", statement -> {
                        statement.setInt(1, record.partition());
                        statement.setLong(2, record.seq());
                    });
            deleteAttempt(connection, record.id());
            return Charge.PARKED;
        });
    }

    /**
     * Releases a parked message's key, in polling mode: a replay puts the message back into the outbox under its
     * original sequence number with a clean attempt count, so it goes out before the later messages of its key; a skip
     * leaves it here as SKIPPED. Messages a cdc relay held behind it go back into the outbox too, under their own
     * sequence numbers.
     *
     * @return false when there is no parked message with this id
     */
    public boolean release(String id, Release release) {
        return jdbc.inTransaction(connection -> {
            List<MessageKey> key = Jdbc.query(
                    connection,
                    "SELECT aggregatetype, aggregateid FROM " + tables.parked() + " WHERE id = "
                            + dialect.uuidParameter() + " AND status = 'PARKED' FOR UPDATE",
                    statement -> statement.setString(1, id),
                    row -> new MessageKey(row.getString(1), row.getString(2)));
            if (key.isEmpty()) {
                return false;
            }
            Jdbc.Binder bindKey = statement -> {
                statement.setString(1, key.getFirst().aggregateType());
                statement.setString(2, key.getFirst().aggregateId());
            };
            if (dialect == SqlDialect.POSTGRESQL) {
                resequence(connection, id, key.getFirst(), release);
            } else {
                if (release == Release.REPLAY) {
                    Jdbc.update(
                            connection,
                            "INSERT INTO " + tables.outbox() + " (" + COLUMNS + ")" + dialect.overridingIdentity()
                                    + " SELECT " + COLUMNS + " FROM " + tables.parked() + " WHERE id = "
                                    + dialect.uuidParameter(),
                            statement -> statement.setString(1, id));
                }
                Jdbc.update(
                        connection,
                        "INSERT INTO " + tables.outbox() + " (" + COLUMNS + ")" + dialect.overridingIdentity()
                                + " SELECT " + COLUMNS + HELD_OF_KEY.formatted(tables.parked()),
                        bindKey);
            }
            Jdbc.update(connection, "DELETE" + HELD_OF_KEY.formatted(tables.parked()), bindKey);
            resolve(connection, id, release.resolvedStatus());
            return true;
        });
    }

    private static final String HELD_OF_KEY =
            " FROM %s WHERE status = '" + CdcParking.HELD + "' AND aggregatetype = ? AND aggregateid = ?";

    /** The columns copied when a row is given a new seq (the identity draws it). */
    private static final String RESEQUENCED = OutboxTable.list("", OutboxTable.WRITTEN) + ", " + OutboxTable.CREATED_AT;

    /**
     * PostgreSQL: puts the released key's messages into the outbox under new seqs, in their original order: the
     * replayed message (on a replay), the messages a cdc relay held, and the key's rows that waited in the outbox.
     * New seqs, because the fetch floors of polling relays may have passed the old ones while the key was held back
     * ({@code FetchFloors}): a message needs a seq drawn while its transaction holds the outbox table's lock to be seen.
     */
    private void resequence(Connection connection, String id, MessageKey key, Release release) throws SQLException {
        String parked = tables.parked();
        Jdbc.update(
                connection,
                "WITH waiting AS (DELETE FROM " + tables.outbox() + " WHERE partition_no = (SELECT partition_no FROM "
                        + parked + " WHERE id = CAST(? AS uuid)) AND aggregatetype = ? AND aggregateid = ? RETURNING "
                        + RESEQUENCED + ", seq) INSERT INTO " + tables.outbox() + " (" + RESEQUENCED + ") SELECT "
                        + RESEQUENCED + " FROM (SELECT " + RESEQUENCED + ", seq FROM " + parked
                        + " WHERE id = CAST(? AS uuid) AND ? UNION ALL SELECT " + RESEQUENCED + ", seq"
                        + HELD_OF_KEY.formatted(parked) + " UNION ALL SELECT * FROM waiting) k ORDER BY seq",
                statement -> {
                    statement.setString(1, id);
                    statement.setString(2, key.aggregateType());
                    statement.setString(3, key.aggregateId());
                    statement.setString(4, id);
                    statement.setBoolean(5, release == Release.REPLAY);
                    statement.setString(6, key.aggregateType());
                    statement.setString(7, key.aggregateId());
                });
    }

    private int resolve(Connection connection, String id, String status) throws SQLException {
        return Jdbc.update(
                connection,
                "UPDATE " + tables.parked() + " SET status = ?, release_request = NULL, resolved_at = " + dialect.now()
                        + " WHERE id = " + dialect.uuidParameter() + " AND status = 'PARKED'",
                statement -> {
                    statement.setString(1, status);
                    statement.setString(2, id);
                });
    }

    private boolean holds(Connection connection, String member, Lease lease) throws SQLException {
        return !Jdbc.query(
                        connection,
                        "SELECT epoch FROM " + tables.lease() + " WHERE partition_no = ? AND owner = ? AND epoch = ?"
                                + " FOR UPDATE",
                        statement -> {
                            statement.setInt(1, lease.partition());
                            statement.setString(2, member);
                            statement.setLong(3, lease.epoch());
                        },
                        row -> row.getLong(1))
                .isEmpty();
    }

    private void deleteAttempt(Connection connection, String id) throws SQLException {
        Jdbc.update(
                connection,
                "DELETE FROM " + tables.attempt() + " WHERE id = " + dialect.uuidParameter(),
                statement -> statement.setString(1, id));
    }
}
