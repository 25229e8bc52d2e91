package dev.courier.relay.health;

import dev.courier.supervision.LoopHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The relay's meters, all named {@code courier.relay.*}, and its supervised background loops
 * ({@code courier.relay.loop.up} and {@code courier.relay.loop.failures}, tagged by loop).
 */
public final class RelayMetrics {

    private final MeterRegistry registry;
    private final Counter published;
    private final Timer lag;
    private final Counter parked;
    private final Counter fetches;
    private final List<LoopHealth> loops = new CopyOnWriteArrayList<>();

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Counter.builder("courier.relay.published")
                .description("Messages acknowledged by Kafka and removed from the outbox")
                .register(registry);
        this.lag = Timer.builder("courier.relay.lag")
                .description("From the outbox row's created_at (commit time, roughly) to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.parked = Counter.builder("courier.relay.parked.moved")
                .description("Messages moved to the parking table after too many failed attempts")
                .register(registry);
        // Registered up front so that dashboards and alerts see zeros rather than no series.
        for (String kind : new String[] {"outage", "record"}) {
            failureCounter(kind);
        }
        this.fetches = Counter.builder("courier.relay.fetches")
                .description("Fetch queries run against the outbox")
                .register(registry);
    }

    public void published(Instant createdAt, long ackedAtMillis) {
        published.increment();
        lag.record(Math.max(0, ackedAtMillis - createdAt.toEpochMilli()), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** @param kind {@code outage} (Kafka or the database unreachable) or {@code record} (a message's own fault) */
    public void failure(String kind) {
        failureCounter(kind).increment();
    }

    private Counter failureCounter(String kind) {
        return Counter.builder("courier.relay.failures")
                .description("Failed sends: outage (Kafka or the database unreachable) or record (the message's fault)")
                .tag("kind", kind)
                .register(registry);
    }

    public void fetched() {
        fetches.increment();
    }

    public void parked() {
        parked.increment();
    }

    /** Exposes the size of {@code owned} as {@code courier.relay.partitions.owned}, read at each scrape. */
    public void trackOwnedPartitions(Map<?, ?> owned) {
        Gauge.builder("courier.relay.partitions.owned", owned, Map::size)
                .description("Outbox partitions this relay holds a lease on")
                .register(registry);
    }

    /** A supervised background loop named {@code name}; health reports DOWN while it fails or after it ended. */
    public LoopHealth loop(String name) {
        LoopHealth loop = new LoopHealth("courier.relay.loop", name, registry);
        loops.add(loop);
        return loop;
    }

    /** Every loop made by {@link #loop}, in the order they were made. */
    public List<LoopHealth> loops() {
        return List.copyOf(loops);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
