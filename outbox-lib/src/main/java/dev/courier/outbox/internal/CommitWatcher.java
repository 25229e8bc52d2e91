package dev.courier.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes relays after the commit of plain JDBC transactions, whose commits the outbox cannot observe (the caller
 * commits its own connection). Each such transaction that published is watched by its transaction id: one background
 * thread asks PostgreSQL which of the watched transactions have ended, and in the same statement, once one of them
 * committed, notifies the relay. The alternative, a NOTIFY inside the transaction, takes a database-wide lock
 * while the transaction commits, which serializes all notifying commits: at 8 writer threads a transaction took twice
 * as long as one writing the same second row without it.
 *
 * <p>A transaction counts as ended once a new snapshot no longer sees it running, not when its commit is recorded: in
 * between, a relay woken too early would not see its rows yet. The thread looks 250 µs after a transaction is watched
 * (or one wake-up interval, if shorter), then once per interval while watched transactions keep ending, less and less
 * often while none ends (up to every {@value #LONGEST_WAIT_MILLIS} ms); it stops when nothing is watched. A lost wake-up (the database unreachable, more than {@value #MAX_WATCHED}
 * transactions open at once) only delays publishing until the relay's safety poll.
 */
final class CommitWatcher {

    private static final Logger log = LoggerFactory.getLogger(CommitWatcher.class);

    static final long LONGEST_WAIT_MILLIS = 50;

    /** After a quiet spell, the first look comes this soon: a transaction usually commits right after it publishes. */
    static final long FIRST_LOOK_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    static final int MAX_WATCHED = 10_000;

    /**
     * The watched transactions (64-bit ids) a new snapshot sees ended; if one committed, one NOTIFY on the channel, sent
     * when this statement's own tiny transaction commits.
     */
    private static final String ENDED_AND_NOTIFY = "WITH ended AS (SELECT b, pg_xact_status(CAST(CAST(b AS text) AS"
            + " xid8)) AS status FROM unnest(CAST(? AS bigint[])) AS b WHERE pg_visible_in_snapshot(CAST(CAST(b AS"
            + " text) AS xid8), pg_current_snapshot())), woken AS (SELECT pg_notify(?, '') FROM ended WHERE status ="
            + " 'committed' LIMIT 1) SELECT b, (SELECT count(*) FROM woken) FROM ended";

    private final DataSource dataSource;
    private final String channel;
    private final long intervalNanos;
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();
    private final ThreadPoolExecutor executor;
    private volatile Thread worker;
    /** When the worker looks next ({@link System#nanoTime()}); a newly watched transaction may bring it forward. */
    private volatile long nextLook;

    private volatile long lastWarning;

    /**
     * @param channel the relay's NOTIFY channel
     * @param interval how long after a transaction is watched the first look is taken, and the shortest time between
     *     two looks
     */
    CommitWatcher(DataSource dataSource, String channel, Duration interval) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.intervalNanos = interval.toNanos();
        this.executor = WakeUpSender.oneIdleThread("courier-outbox-commit-watch");
    }

    /** Watches the transaction {@code xid} (a 64-bit {@code xid8}) until it ends. */
    void watch(long xid) {
        if (watched.size() >= MAX_WATCHED && !watched.contains(xid)) {
            warn("more than " + MAX_WATCHED + " transactions open at once");
            return;
        }
        watched.add(xid);
        if (running.compareAndSet(false, true)) {
            executor.execute(this::run);
            return;
        }
        // Waiting long for an old transaction: look one interval from now instead.
        long soon = System.nanoTime() + intervalNanos;
        if (nextLook - soon > 0) {
            nextLook = soon;
            Thread current = worker;
            if (current != null) {
                LockSupport.unpark(current);
            }
        }
    }

    /** The transactions watched now; for tests. */
    int watching() {
        return watched.size();
    }

    private void run() {
        worker = Thread.currentThread();
        long firstLook = Math.min(intervalNanos, FIRST_LOOK_NANOS);
        long wait = firstLook;
        nextLook = System.nanoTime() + firstLook;
        try {
            while (!watched.isEmpty()) {
                for (long left = nextLook - System.nanoTime(); left > 0; left = nextLook - System.nanoTime()) {
                    LockSupport.parkNanos(left); // until the next look, which a new transaction may bring forward
                }
                boolean ended;
                try {
                    ended = lookOnce();
                } catch (SQLException | RuntimeException e) {
                    warn(e.toString());
                    ended = false;
                }
                // While transactions keep ending, one look per interval; while none ends, fewer and fewer.
                wait = ended
                        ? intervalNanos
                        : Math.max(firstLook, Math.min(wait * 2, TimeUnit.MILLISECONDS.toNanos(LONGEST_WAIT_MILLIS)));
                nextLook = System.nanoTime() + wait;
            }
        } finally {
            worker = null;
            running.set(false);
            // A transaction watched between the last check and the reset above must not be stranded.
            if (!watched.isEmpty() && running.compareAndSet(false, true)) {
                executor.execute(this::run);
            }
        }
    }

    /** Forgets the watched transactions that ended, waking the relay if one committed; true if any ended. */
    private boolean lookOnce() throws SQLException {
        Long[] xids = watched.toArray(Long[]::new);
        List<Long> ended = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(ENDED_AND_NOTIFY)) {
            statement.setArray(1, connection.createArrayOf("bigint", xids));
            statement.setString(2, channel);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ended.add(rows.getLong(1));
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
        ended.forEach(watched::remove);
        return !ended.isEmpty();
    }

    private void warn(String problem) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 60_000) {
            lastWarning = now;
            log.warn(
                    "Could not tell whether outbox transactions committed ({}); the relay finds their rows on its"
                            + " next poll",
                    problem);
        }
    }
}
