package dev.courier.outbox.inbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes inbox ids older than the retention, periodically, on one daemon thread. */
public final class InboxRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);

    private final Inbox inbox;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public InboxRetention(Inbox inbox, Duration retention, Duration interval, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.retention = requirePositive(retention, "retention");
        this.interval = requirePositive(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Deletes the expired ids now. */
    public long runOnce() {
        long deleted = inbox.deleteReceivedBefore(clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("Deleted {} inbox ids older than {}", deleted, retention);
        }
        return deleted;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("courier-inbox-retention").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(
                this::runSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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
        } catch (RuntimeException e) {
            // The next run tries again; an unavailable database must not stop the schedule.
            log.warn("Inbox clean-up failed: {}", e.toString());
        }
    }

    private static Duration requirePositive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }
}
