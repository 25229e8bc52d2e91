package dev.courier.rocketmq.fence;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes fence rows older than the retention, periodically, on one daemon thread. The retention must outlast the
 * broker's half messages: a check-back that finds no row answers ROLLBACK, which would drop a committed message.
 */
public final class FenceRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FenceRetention.class);

    private final FenceStore fence;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public FenceRetention(FenceStore fence, Duration retention, Duration interval, Clock clock) {
        this.fence = fence;
        this.retention = retention;
        this.interval = interval;
        this.clock = clock;
    }

    /** Deletes the expired rows now. */
    public long runOnce() throws SQLException {
        long deleted = fence.deleteCreatedBefore(clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("Deleted {} transaction fence rows older than {}", deleted, retention);
        }
        return deleted;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("courier-rocketmq-fence-retention")
                .daemon(true)
                .factory());
        scheduler.scheduleWithFixedDelay(this::runSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (SQLException | RuntimeException e) {
            // The next run tries again; an unavailable database must not stop the schedule.
            log.warn("Transaction fence clean-up failed: {}", e.toString());
        }
    }
}
