package dev.courier.relay.retention;

import dev.courier.supervision.LoopHealth;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes archived messages older than the retention, every minute (or every retention period when that is shorter).
 * Every relay member prunes; deleting is idempotent, so they need no coordination. A failed run (the database is
 * down, the archive table is gone) is reported in {@code health} until a run succeeds; the next run catches up.
 */
public final class RetentionPruner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionPruner.class);
    private static final int CHUNK = 5_000;

    private final PublishedArchive archive;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;
    private final LoopHealth health;

    /** @param retention positive */
    public RetentionPruner(PublishedArchive archive, Duration retention, LoopHealth health) {
        if (!retention.isPositive()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.archive = archive;
        this.retention = retention;
        this.health = health;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("courier-relay-retention").daemon(true).factory());
        long every = Math.min(Duration.ofMinutes(1).toMillis(), retention.toMillis());
        scheduler.scheduleWithFixedDelay(health.guard(this::prune), every, every, TimeUnit.MILLISECONDS);
    }

    private void prune() {
        long deleted = archive.prune(retention, CHUNK);
        if (deleted > 0) {
            log.debug("Pruned {} published message(s) older than {}", deleted, retention);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        health.stopped();
    }
}
