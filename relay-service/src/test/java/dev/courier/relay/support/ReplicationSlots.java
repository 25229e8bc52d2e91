package dev.courier.relay.support;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** The replication slots cdc-mode tests create: each test drops its own, so that none is left holding WAL. */
public final class ReplicationSlots {

    private ReplicationSlots() {}

    /** A slot name unique to this test JVM, so that runs on one server never share a slot. */
    public static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid();
    }

    /**
     * Drops {@code slot} if it exists, waiting while a walsender still reads it (a killed relay's walsender ends a
     * moment after its session).
     */
    public static void drop(DataSource dataSource, String slot) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
                            + " FROM pg_replication_slots WHERE slot_name = ?")) {
                drop.setString(1, slot);
                drop.executeQuery().close();
                return true;
            }
        });
    }

    /** 1 if {@code slot} exists, else 0. */
    public static long count(DataSource dataSource, String slot) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")) {
            select.setString(1, slot);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
