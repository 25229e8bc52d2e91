package dev.courier.relay.health;

import dev.courier.relay.Relay;
import dev.courier.relay.RelayCircuits;
import dev.courier.relay.source.PartitionBacklog;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while Kafka or the database is unreachable (a circuit is open, or half-open and probing) or the relay's
 * coordination fails (polling: lease renewal; cdc: leadership and slot); the details say which, and what this member
 * does.
 */
public final class RelayHealthIndicator implements HealthIndicator {

    private final Relay relay;
    private final RelayCircuits circuits;
    private final BacklogMonitor backlog;

    public RelayHealthIndicator(Relay relay, RelayCircuits circuits, BacklogMonitor backlog) {
        this.relay = relay;
        this.circuits = circuits;
        this.backlog = backlog;
    }

    @Override
    public Health health() {
        Health.Builder health = circuits.anyNotClosed() || !relay.healthy() ? Health.down() : Health.up();
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
                .build();
    }
}
