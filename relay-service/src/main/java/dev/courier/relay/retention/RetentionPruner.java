package dev.courier.relay.retention;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes archived messages older than the retention, every minute (or every retention period when that is shorter).
 * Every relay member prunes; deleting is idempotent, so they need no coordination. Idle when the retention is 0.
 */
public final class RetentionPruner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionPruner.class);
    private static final int CHUNK = 5_000;

    private final PublishedArchive archive;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;

    public RetentionPruner(PublishedArchive archive, Duration retention) {
        this.archive = archive;
        this.retention = retention;
        if (retention.isPositive()) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .name("courier-relay-retention")
                    .daemon(true)
                    .factory());
            long every = Math.min(Duration.ofMinutes(1).toMillis(), retention.toMillis());
            scheduler.scheduleWithFixedDelay(this::prune, every, every, TimeUnit.MILLISECONDS);
        } else {
            this.scheduler = null;
        }
    }

    private void prune() {
        try {
            long deleted = archive.prune(retention, CHUNK);
            if (deleted > 0) {
                log.debug("Pruned {} published message(s) older than {}", deleted, retention);
            }
        } catch (RuntimeException e) {
            // The database health indicator reports outages; the next run catches up.
            log.debug("Pruning published messages failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
