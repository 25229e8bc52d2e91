package dev.courier.relay.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Leadership of one replication slot: a PostgreSQL session advisory lock held on a dedicated connection. The server
 * releases it the moment that session ends, so a killed leader frees it at once; a leader that cannot reach the
 * server any more sees its connection fail and steps down.
 */
final class LeaderLock implements AutoCloseable {

    /** First half of the two-part lock key: Courier's CDC leadership (ASCII "CDCL"). */
    private static final int LOCK_CLASS = 0x4344434c;

    private final String url;
    private final Properties credentials;
    private final String slot;
    private Connection connection;

    LeaderLock(String url, String user, String password, String slot) {
        this.url = url;
        this.slot = slot;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("tcpKeepAlive", "true");
        credentials.setProperty("socketTimeout", "10");
        credentials.setProperty("ApplicationName", "courier-relay-cdc-leader");
    }

    /** Takes the lock if nobody holds it; true when this process leads now. */
    boolean tryAcquire() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, credentials);
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setString(2, slot);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** Whether the session holding the lock is still alive (checked with a round trip). */
    boolean stillHeld() {
        try {
            return connection != null && connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the session, which releases the lock. */
    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            connection = null;
        }
    }
}
