package dev.courier.relay.health;

import dev.courier.relay.Relay;
import dev.courier.relay.RelayCircuits;
import dev.courier.relay.source.PartitionBacklog;
import dev.courier.supervision.LoopHealth;
import dev.courier.supervision.LoopHealthIndicator;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while Kafka or the database is unreachable (a circuit is open, or half-open and probing), the relay's
 * coordination fails (polling: lease renewal; cdc: leadership and slot) or one of its background loops fails or has
 * ended; the details say which ({@code loops}: each loop's state), and what this member does.
 */
public final class RelayHealthIndicator implements HealthIndicator {

    private final Relay relay;
    private final RelayCircuits circuits;
    private final BacklogMonitor backlog;
    private final RelayMetrics metrics;

    public RelayHealthIndicator(Relay relay, RelayCircuits circuits, BacklogMonitor backlog, RelayMetrics metrics) {
        this.relay = relay;
        this.circuits = circuits;
        this.backlog = backlog;
        this.metrics = metrics;
    }

    @Override
    public Health health() {
        List<LoopHealth> loops = metrics.loops();
        boolean loopsUp = loops.stream().allMatch(LoopHealth::isUp);
        Health.Builder health = circuits.anyNotClosed() || !relay.healthy() || !loopsUp ? Health.down() : Health.up();
        return health.withDetail("member", relay.member())
                .withDetail("mode", relay.mode())
                .withDetail("kafka", circuits.kafka().getState().name())
                .withDetail("database", circuits.database().getState().name())
                .withDetails(relay.details())
                .withDetail("paused", relay.paused())
                .withDetail(
                        "backlog",
                        backlog.partitions().stream()
                                .mapToLong(PartitionBacklog::rows)
                                .sum())
                .withDetail("parked", backlog.parkedCount())
                .withDetail("loops", LoopHealthIndicator.details(loops))
                .build();
    }
}
