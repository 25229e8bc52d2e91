package dev.courier.outbox.retention;

import dev.courier.outbox.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is older than a retention, periodically, on one daemon thread; a failed run is logged and the next
 * one tries again, so that an unavailable database never stops the schedule. Used by the inbox and by the RocketMQ
 * adapter's fence table.
 */
public final class ScheduledDeletion implements AutoCloseable {

    /** Deletes what was created before {@code cutoff} and returns how much. */
    @FunctionalInterface
    public interface Deletion {
        long deleteBefore(Instant cutoff) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(ScheduledDeletion.class);

    private final String what;
    private final Deletion deletion;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    /** @param what a plural noun for logs and the thread name, e.g. {@code inbox ids} */
    public ScheduledDeletion(String what, Deletion deletion, Duration retention, Duration interval, Clock clock) {
        this.what = Objects.requireNonNull(what, "what");
        this.deletion = Objects.requireNonNull(deletion, "deletion");
        this.retention = Durations.requirePositive(retention, "retention");
        this.interval = Durations.requirePositive(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Deletes the expired now. */
    public long runOnce() throws Exception {
        long deleted = deletion.deleteBefore(clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("Deleted {} {} older than {}", deleted, what, retention);
        }
        return deleted;
    }

    /** Runs every interval, the first time after {@code initialDelay}. */
    public synchronized void start(Duration initialDelay) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("courier-retention-" + what.replace(' ', '-'))
                .daemon(true)
                .factory());
        scheduler.scheduleWithFixedDelay(
                this::runSafely, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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
        } catch (Exception e) {
            log.warn("Deleting expired {} failed; the next run tries again: {}", what, e.toString());
        }
    }
}
