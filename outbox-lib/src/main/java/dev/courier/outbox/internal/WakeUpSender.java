package dev.courier.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes relays after commits, outside the business transactions: where the transaction manager reports commits
 * ({@link #signalAction()}), and for plain JDBC transactions by watching them end ({@link #afterCommitOf}). A transaction that runs NOTIFY takes a
 * database-wide lock while it commits, which serializes all notifying commits (measured: 8 writer threads fell from
 * 14.5k to 5.2k tx/s). Here committed transactions only raise a flag; one background thread turns any number of
 * flags raised meanwhile into one {@code pg_notify} in its own tiny transaction, at most one per wake-up interval.
 *
 * <p>A lost wake-up (crash right after commit, database briefly unreachable) only delays publishing until the
 * relay's safety poll: the rows are committed either way.
 */
final class WakeUpSender {

    private static final Logger log = LoggerFactory.getLogger(WakeUpSender.class);

    private final DataSource dataSource;
    private final String channel;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ThreadPoolExecutor executor;
    private final Runnable signal = this::signal;
    private volatile long lastFailureLog;
    /**
     * The shortest time between two NOTIFYs. Each is a transaction of its own: at one per commit, a writer committing a
     * few thousand small transactions a second paid up to 0.1 ms per transaction for them on two cores.
     */
    private final long intervalNanos;
    /** When the last NOTIFY went out ({@link System#nanoTime()}); drain thread only. */
    private long lastSent;

    private final CommitWatcher commits;

    /** @param interval the shortest time between two wake-ups */
    WakeUpSender(DataSource dataSource, String channel, Duration interval) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.intervalNanos = interval.toNanos();
        this.lastSent = System.nanoTime() - intervalNanos;
        this.commits = new CommitWatcher(dataSource, channel, interval);
        this.executor = oneIdleThread("courier-outbox-wake-up");
    }

    /** At most one daemon thread, gone after a few idle seconds: nothing to shut down. */
    static ThreadPoolExecutor oneIdleThread(String name) {
        return new ThreadPoolExecutor(
                0,
                1,
                5,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name(name).daemon(true).factory());
    }

    /** The same instance every time, so that a transaction registers it once. */
    Runnable signalAction() {
        return signal;
    }

    /** Wakes the relay once the transaction {@code xid} (a 64-bit {@code xid8}) committed, if it does. */
    void afterCommitOf(long xid) {
        commits.watch(xid);
    }

    void signal() {
        pending.set(true);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (pending.getAndSet(false)) {
                long wait = lastSent + intervalNanos - System.nanoTime();
                if (wait > 0) {
                    // Commits signalled meanwhile are covered by the NOTIFY that follows.
                    LockSupport.parkNanos(wait);
                    pending.set(false);
                }
                sendNotify();
                lastSent = System.nanoTime();
            }
        } finally {
            draining.set(false);
            // A signal raised between the last check and the reset above must not be stranded.
            if (pending.get() && draining.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }

    private void sendNotify() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            statement.setString(1, channel);
            try (ResultSet ignored = statement.executeQuery()) {
                // one row, no value
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 60_000) {
                lastFailureLog = now;
                log.warn(
                        "Could not wake the relay on channel {} (it will find the rows on its next poll): {}",
                        channel,
                        e.toString());
            }
        }
    }
}
