package dev.courier.notifier.health;

import dev.courier.notifier.isolation.EndpointGuards;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gauges read from the database every few seconds (one query, not one per scrape): {@code courier.notifier.due}
 * (notifications due and not claimed), {@code courier.notifier.due.oldest.age} (seconds the oldest has waited past
 * its due time), {@code courier.notifier.pending} (all pending) and {@code courier.notifier.circuits.open} (endpoints
 * whose circuit is not closed on this instance).
 */
public final class BacklogMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);

    private final JdbcClient jdbc;
    private final ScheduledExecutorService scheduler;
    private volatile Snapshot snapshot = new Snapshot(0, 0, 0, null);

    /** The last reading; {@code readAt} null until the first succeeded. */
    public record Snapshot(long due, double oldestDueAgeSeconds, long pending, Instant readAt) {}

    public BacklogMonitor(JdbcClient jdbc, EndpointGuards guards, MeterRegistry registry, Duration interval) {
        this.jdbc = jdbc;
        Gauge.builder("courier.notifier.due", this, m -> m.snapshot.due())
                .description("Notifications due and not yet claimed")
                .register(registry);
        Gauge.builder("courier.notifier.due.oldest.age", this, m -> m.snapshot.oldestDueAgeSeconds())
                .description("Seconds the oldest due notification has waited past its due time")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("courier.notifier.pending", this, m -> m.snapshot.pending())
                .description("Notifications not yet finished (due, scheduled or in flight)")
                .register(registry);
        Gauge.builder("courier.notifier.circuits.open", guards, EndpointGuards::openCircuits)
                .description("Endpoints whose circuit is open or half-open on this instance")
                .register(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("notifier-backlog").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    private void refresh() {
        try {
            snapshot = jdbc.sql("SELECT count(*) FILTER (WHERE next_attempt_at <= now()) AS due,"
                            + " coalesce(extract(epoch FROM now() - min(next_attempt_at)"
                            + " FILTER (WHERE next_attempt_at <= now())), 0) AS oldest,"
                            + " count(*) AS pending FROM notifier_notification WHERE status = 'PENDING'")
                    .query((rs, n) -> new Snapshot(
                            rs.getLong("due"), rs.getDouble("oldest"), rs.getLong("pending"), Instant.now()))
                    .single();
        } catch (RuntimeException e) {
            log.warn("Could not read the notification backlog: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
