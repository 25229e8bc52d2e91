package dev.courier.relay.cdc;

import dev.courier.relay.db.Jdbc;
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
