package dev.courier.relay.wakeup;

import dev.courier.outbox.wakeup.PromptProbeSocketFactory;
import dev.courier.relay.db.DedicatedConnection;
import dev.courier.relay.engine.RelayEngine;
import dev.courier.supervision.LoopHealth;
import io.github.resilience4j.core.IntervalFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the writers' NOTIFY channel over a dedicated connection (not from the pool: a LISTEN must outlive
 * every transaction) and wakes the engine on each notification. The connection's sockets come from
 * {@link PromptProbeSocketFactory}, which spares each notification the millisecond pgjdbc otherwise waits after it. A
 * broken connection is reopened with backoff; the engine polls adaptively while there is none, and is woken once after
 * reconnecting, since notifications sent in between are lost. Whatever ends a session (a lost connection, anything else thrown) is retried with back-off and
 * reported in the {@code listen} loop's health until LISTEN is back.
 */
public final class NotifyListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;

    /** The LISTEN session's driver settings: sockets that do not hold each notification back for a millisecond. */
    static final Map<String, String> SESSION_PROPERTIES =
            Map.of("socketFactory", PromptProbeSocketFactory.class.getName());

    private final DedicatedConnection session;
    private final String channel;
    private final RelayEngine engine;
    private final IntervalFunction backoff;
    private final Thread thread;
    private final LoopHealth health;
    private volatile boolean running = true;
    private volatile boolean connected;

    public NotifyListener(
            String url,
            String user,
            String password,
            String channel,
            RelayEngine engine,
            IntervalFunction backoff,
            LoopHealth health) {
        this.session = new DedicatedConnection(url, user, password, "courier-relay-listen", SESSION_PROPERTIES);
        this.channel = channel;
        this.engine = engine;
        this.backoff = backoff;
        this.health = health;
        this.thread =
                Thread.ofPlatform().name("courier-relay-listen").daemon(true).unstarted(this::run);
    }

    public void start() {
        health.started();
        thread.start();
    }

    /** Whether the LISTEN connection is open right now. */
    public boolean connected() {
        return connected;
    }

    private void run() {
        try {
            listenUntilClosed();
        } finally {
            health.stopped();
        }
    }

    private void listenUntilClosed() {
        int failures = 0;
        while (running) {
            try {
                Connection opened = session.get();
                try (Statement statement = opened.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                connected = true;
                engine.listening(true);
                engine.wakeUp();
                if (health.succeeded()) {
                    log.info("LISTEN {} re-established", channel);
                }
                failures = 0;
                receive(opened.unwrap(PGConnection.class));
            } catch (Throwable e) {
                if (!running) {
                    return;
                }
                failures = Math.min(failures + 1, 30);
                if (!health.failed(e)) {
                    log.debug("LISTEN {} still failing: {}", channel, e.getMessage());
                } else if (e instanceof SQLException) {
                    log.warn("LISTEN {} lost ({}); polling until it is back", channel, e.getMessage());
                } else {
                    log.error("LISTEN {} failed unexpectedly; polling until it is back", channel, e);
                }
            } finally {
                session.close();
                connected = false;
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
        session.close();
        thread.interrupt();
    }
}
