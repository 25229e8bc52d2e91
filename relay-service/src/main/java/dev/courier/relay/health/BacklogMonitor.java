package dev.courier.relay.health;

import dev.courier.relay.park.ParkedMessages;
import dev.courier.relay.source.OutboxSource;
import dev.courier.relay.source.PartitionBacklog;
import dev.courier.supervision.LoopHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Counts the backlog every few seconds (a {@code GROUP BY} over the outbox, too costly per scrape) and exposes it as
 * gauges: {@code courier.relay.backlog} (rows waiting), {@code courier.relay.backlog.oldest.age} (seconds since the
 * oldest waiting row was written) and {@code courier.relay.parked} (messages parked). A failed count keeps the last
 * values and is reported in its loop's health until a count succeeds.
 */
public final class BacklogMonitor implements AutoCloseable {

    private final OutboxSource outbox;
    private final ParkedMessages parking;
    private final ScheduledExecutorService scheduler;
    private final LoopHealth health;
    private volatile List<PartitionBacklog> partitions = List.of();
    private volatile long parked;
    private volatile Instant refreshedAt;

    public BacklogMonitor(
            OutboxSource outbox, ParkedMessages parking, MeterRegistry registry, LoopHealth health, Duration interval) {
        this.outbox = outbox;
        this.parking = parking;
        this.health = health;
        Gauge.builder("courier.relay.backlog", this, BacklogMonitor::rows)
                .description("Outbox rows waiting to be published")
                .register(registry);
        Gauge.builder("courier.relay.backlog.oldest.age", this, BacklogMonitor::oldestAgeSeconds)
                .description("Seconds since the oldest waiting outbox row was written")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("courier.relay.parked", this, monitor -> monitor.parked)
                .description("Messages in the parking table waiting for an operator")
                .register(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("courier-relay-backlog").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(health.guard(this::refresh), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<PartitionBacklog> partitions() {
        return partitions;
    }

    public long parkedCount() {
        return parked;
    }

    public Instant refreshedAt() {
        return refreshedAt;
    }

    private double rows() {
        return partitions.stream().mapToLong(PartitionBacklog::rows).sum();
    }

    private double oldestAgeSeconds() {
        return partitions.stream()
                .map(PartitionBacklog::oldestCreatedAt)
                .min(Instant::compareTo)
                .map(oldest ->
                        Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0))
                .orElse(0.0);
    }

    /** Reads the backlog now; a failure keeps the last values. */
    private void refresh() {
        List<PartitionBacklog> counted = outbox.backlog();
        long parkedNow = parking.countParked();
        partitions = counted;
        parked = parkedNow;
        refreshedAt = Instant.now();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        health.stopped();
    }
}
