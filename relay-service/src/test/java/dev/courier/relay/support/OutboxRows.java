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
}
