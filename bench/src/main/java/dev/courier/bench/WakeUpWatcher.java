package dev.courier.bench;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.wakeup.PromptProbeSocketFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs on the outbox's NOTIFY channel beside the relay, on a connection of its own set up as the relay's, and tells how long after each
 * commit's return the first wake-up arrived: the part of the polling relay's latency spent before the relay hears of
 * the rows. A commit is matched to the first notification received after it began (a notification that arrives while
 * it commits counts as 0).
 */
final class WakeUpWatcher implements AutoCloseable {

    private final Connection connection;
    private final Thread thread;
    private final List<Long> notified = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<long[]> commits = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    WakeUpWatcher(TestDatabase db, String channel) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("user", db.user());
        settings.setProperty("password", db.password());
        // As the relay's listener: without the millisecond pgjdbc waits after each notification.
        settings.setProperty("socketFactory", PromptProbeSocketFactory.class.getName());
        connection = DriverManager.getConnection(db.jdbcUrl(), settings);
        try (Statement listen = connection.createStatement()) {
            listen.execute("LISTEN " + channel);
        }
        thread = Thread.ofPlatform().name("watch-wake-ups").daemon(true).start(this::run);
    }

    /** A commit that began at {@code began} and returned at {@code returned} ({@link System#nanoTime()}). */
    void committed(long began, long returned) {
        commits.add(new long[] {began, returned});
    }

    /**
     * Matches the commits noted since the last call with the notifications received, into {@code recorder}. Call
     * once every commit of the round has been relayed (its wake-up came before that).
     */
    void endRound(LatencyRecorder recorder, long roundNanos) {
        List<Long> times;
        synchronized (notified) {
            times = new ArrayList<>(notified);
        }
        for (long[] commit = commits.poll(); commit != null; commit = commits.poll()) {
            int first = Collections.binarySearch(times, commit[0]);
            int at = first >= 0 ? first : -first - 1;
            if (at < times.size()) {
                recorder.record(Math.max(0, times.get(at) - commit[1]));
            }
        }
        recorder.endRound(roundNanos);
    }

    private void run() {
        PGConnection listening;
        try {
            listening = connection.unwrap(PGConnection.class);
            while (running) {
                PGNotification[] received = listening.getNotifications(100);
                if (received != null && received.length > 0) {
                    notified.add(System.nanoTime());
                }
            }
        } catch (SQLException e) {
            if (running) {
                throw new IllegalStateException("LISTEN connection of the bench failed", e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join();
        connection.close();
    }
}
