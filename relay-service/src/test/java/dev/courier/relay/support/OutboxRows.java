package dev.courier.relay.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Counts rows still waiting in the {@code courier_outbox} table of a test database. */
public final class OutboxRows {

    private OutboxRows() {}

    /** Rows of {@code aggregateType}. */
    public static long count(DataSource dataSource, String aggregateType) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement =
                        c.prepareStatement("SELECT count(*) FROM courier_outbox WHERE aggregatetype = ?")) {
            statement.setString(1, aggregateType);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** What is left, for a failure message: count, oldest and newest creation time, and the slot's position. */
    public static String describe(DataSource dataSource, String aggregateType, String slot) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement("SELECT count(*), min(created_at), max(created_at),"
                        + " min(seq), max(seq), (SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                        + " WHERE slot_name = ?), pg_current_wal_lsn()::text, now()"
                        + ", (SELECT string_agg(id::text || '@' || xmin::text, ' ') FROM (SELECT id, xmin FROM"
                        + " courier_outbox WHERE aggregatetype = ? ORDER BY seq LIMIT 5) f)"
                        + " FROM courier_outbox WHERE aggregatetype = ?")) {
            statement.setString(1, slot);
            statement.setString(2, aggregateType);
            statement.setString(3, aggregateType);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) + " rows left, created " + rows.getString(2) + " to " + rows.getString(3)
                        + ", seq " + rows.getLong(4) + " to " + rows.getLong(5) + "; slot confirmed at "
                        + rows.getString(6) + ", WAL at " + rows.getString(7) + ", now " + rows.getString(8)
                        + "; first rows (id@xmin): " + rows.getString(9);
            }
        }
    }
}
