package dev.courier.relay.cdc;

import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayStorageException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The replication slot of CDC mode as PostgreSQL reports it, and the offsets that belong to it. */
final class ReplicationSlot {

    /**
     * A slot's state.
     *
     * @param active whether a walsender reads it now
     * @param lagBytes WAL written since the position the relay confirmed
     * @param retainedBytes WAL the server keeps for the slot
     */
    record State(boolean active, long lagBytes, long retainedBytes) {}

    private static final String OBJECT_IN_USE = "55006";

    private final Jdbc jdbc;
    private final String slot;
    private final String offsetTable;

    ReplicationSlot(Jdbc jdbc, String slot, String offsetTable) {
        this.jdbc = jdbc;
        this.slot = slot;
        this.offsetTable = offsetTable;
    }

    String name() {
        return slot;
    }

    Optional<State> state() {
        List<State> states = jdbc.query(
                "SELECT active, COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint,"
                        + " COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint"
                        + " FROM pg_replication_slots WHERE slot_name = ?",
                statement -> statement.setString(1, slot),
                row -> new State(row.getBoolean(1), row.getLong(2), row.getLong(3)));
        return states.stream().findFirst();
    }

    /**
     * Drops the slot if it exists in this database, belongs to pgoutput and no walsender reads it.
     *
     * @return whether it was dropped; false also when a reader attached in the meantime
     */
    boolean dropIfUnread() {
        try {
            return !jdbc.query(
                            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?"
                                    + " AND NOT active AND database = current_database() AND plugin = 'pgoutput'",
                            statement -> statement.setString(1, slot),
                            row -> true)
                    .isEmpty();
        } catch (RelayStorageException e) {
            if (e.getCause() instanceof SQLException cause && OBJECT_IN_USE.equals(cause.getSQLState())) {
                return false; // a reader attached between the check and the drop
            }
            throw e;
        }
    }

    /**
     * Whether a stored offset points before the oldest WAL the slot still holds: the slot was dropped and created
     * again since (by an operator, or by polling mode's clean-up), and its old position is gone for good.
     */
    boolean offsetsPredateSlot() {
        return !jdbc.query(
                        "SELECT 1 FROM " + offsetTable + " o JOIN pg_replication_slots s ON s.slot_name = ?"
                                + " WHERE o.offset_value::jsonb ->> 'lsn' IS NOT NULL"
                                + " AND (o.offset_value::jsonb ->> 'lsn')::numeric < (s.restart_lsn - '0/0'::pg_lsn)",
                        statement -> statement.setString(1, slot),
                        row -> true)
                .isEmpty();
    }

    /**
     * Writes a logical decoding message into the WAL: the slot's reader receives it as an event soon, whichever
     * instance leads. Lets the leader's change handler look at the parking table now instead of at the next heartbeat.
     */
    void nudge() {
        jdbc.query(
                "SELECT pg_logical_emit_message(false, 'courier-wakeup', '')",
                statement -> {},
                row -> row.getString(1));
    }

    /** Whether offsets of an earlier stream are stored. */
    boolean hasOffsets() {
        return !jdbc.query("SELECT 1 FROM " + offsetTable, statement -> {}, row -> true)
                .isEmpty();
    }

    /**
     * Forgets the stored position. Done when the slot is missing: a position of another slot's stream means nothing
     * to a new one, and without offsets Debezium creates the slot and snapshots the outbox table first, so rows
     * written while no slot existed are published too.
     */
    void forgetOffsets() {
        jdbc.update("DELETE FROM " + offsetTable, statement -> {});
    }
}
