package dev.courier.relay.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * One JDBC connection outside the pool, for work that must own its session: a LISTEN, an advisory lock, Debezium's
 * offset writes. Opened on first use and again after {@link #close()}; a dead server is noticed within seconds
 * (TCP keep-alive, socket timeout), not after the operating system's TCP timeout.
 */
public final class DedicatedConnection implements AutoCloseable {

    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private final String url;
    private final Properties properties = new Properties();
    private volatile Connection connection;

    public DedicatedConnection(String url, String user, String password, String applicationName) {
        this(url, user, password, applicationName, Map.of());
    }

    /**
     * @param driverProperties further pgjdbc connection properties; the URL's own settings take precedence over them
     */
    public DedicatedConnection(
            String url, String user, String password, String applicationName, Map<String, String> driverProperties) {
        this.url = url;
        driverProperties.forEach(properties::setProperty);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", applicationName);
    }

    /** The open connection; opens one when there is none or the last one was closed. */
    public synchronized Connection get() throws SQLException {
        Connection open = connection;
        if (open == null || open.isClosed()) {
            open = DriverManager.getConnection(url, properties);
            connection = open;
        }
        return open;
    }

    /** Whether the session is alive, checked with a round trip of at most {@code seconds}. */
    public boolean isValid(int seconds) {
        Connection open = connection;
        try {
            return open != null && open.isValid(seconds);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the session (releasing what it holds); safe from any thread, and when nothing is open. */
    @Override
    public void close() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
        }
    }
}
