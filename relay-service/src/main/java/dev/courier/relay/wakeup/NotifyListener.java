package dev.courier.relay.wakeup;

import dev.courier.relay.engine.RelayEngine;
import io.github.resilience4j.core.IntervalFunction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the writers' NOTIFY channel over a dedicated connection (not from the pool: a LISTEN must outlive
 * every transaction) and wakes the engine on each notification. A broken connection is reopened with backoff; the
 * engine polls adaptively while there is none, and is woken once after reconnecting, since notifications sent in
 * between are lost.
 */
public final class NotifyListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;

    private final String url;
    private final Properties credentials;
    private final String channel;
    private final RelayEngine engine;
    private final IntervalFunction backoff;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public NotifyListener(
            String url, String user, String password, String channel, RelayEngine engine, IntervalFunction backoff) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        // Detect a dead server within seconds, not after the OS's TCP timeout.
        credentials.setProperty("tcpKeepAlive", "true");
        credentials.setProperty("socketTimeout", "30");
        credentials.setProperty("ApplicationName", "courier-relay-listen");
        this.channel = channel;
        this.engine = engine;
        this.backoff = backoff;
        this.thread =
                Thread.ofPlatform().name("courier-relay-listen").daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** Whether the LISTEN connection is open right now. */
    public boolean connected() {
        return connection != null;
    }

    private void run() {
        int failures = 0;
        while (running) {
            try (Connection opened = DriverManager.getConnection(url, credentials)) {
                try (Statement statement = opened.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                connection = opened;
                engine.listening(true);
                engine.wakeUp();
                if (failures > 0) {
                    log.info("LISTEN {} re-established", channel);
                }
                failures = 0;
                receive(opened.unwrap(PGConnection.class));
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (failures++ == 0) {
                    log.warn("LISTEN {} lost ({}); polling until it is back", channel, e.getMessage());
                }
            } finally {
                connection = null;
                engine.listening(false);
            }
            pause(backoff.apply(Math.max(1, failures)));
        }
    }

    private void receive(PGConnection listening) throws SQLException {
        while (running) {
            PGNotification[] notifications = listening.getNotifications(RECEIVE_TIMEOUT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                engine.wakeUp();
            }
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
