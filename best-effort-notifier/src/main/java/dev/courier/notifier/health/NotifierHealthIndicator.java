package dev.courier.notifier.health;

import dev.courier.notifier.delivery.Dispatcher;
import dev.courier.supervision.LoopHealth;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code notifier} in {@code /actuator/health}: DOWN when the delivery loop or the attempt writer is not running or
 * fails (each with its details), or the backlog could not be read for a while; UP otherwise, with the backlog in the details. A long backlog is a metric to alert on, not a
 * reason to restart the instance, so it does not turn the health DOWN.
 */
public final class NotifierHealthIndicator implements HealthIndicator {

    private final Dispatcher dispatcher;
    private final BacklogMonitor backlog;
    private final Duration staleAfter;

    public NotifierHealthIndicator(Dispatcher dispatcher, BacklogMonitor backlog, Duration staleAfter) {
        this.dispatcher = dispatcher;
        this.backlog = backlog;
        this.staleAfter = staleAfter;
    }

    @Override
    public Health health() {
        BacklogMonitor.Snapshot snapshot = backlog.snapshot();
        boolean loopsUp = dispatcher.isRunning() && dispatcher.health().stream().allMatch(LoopHealth::isUp);
        Health.Builder health = loopsUp ? Health.up() : Health.down();
        dispatcher.health().forEach(loop -> health.withDetail(loop.name(), loop.details()));
        if (snapshot.readAt() == null
                || snapshot.readAt().isBefore(Instant.now().minus(staleAfter))) {
            health.down().withDetail("backlog", "not readable from the database");
        }
        return health.withDetail("due", snapshot.due())
                .withDetail("oldestDueAgeSeconds", snapshot.oldestDueAgeSeconds())
                .withDetail("pending", snapshot.pending())
                .build();
    }
}
