package dev.courier.relay.health;

import dev.courier.relay.polling.PollingRelay;
import dev.courier.relay.polling.RelayCircuits;
import dev.courier.relay.source.PartitionBacklog;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while Kafka or the database is unreachable (a circuit is open, or half-open and probing) or the leases cannot be renewed; the details
 * say which, and what this member holds.
 */
public final class RelayHealthIndicator implements HealthIndicator {

    private final PollingRelay relay;
    private final RelayCircuits circuits;
    private final BacklogMonitor backlog;

    public RelayHealthIndicator(PollingRelay relay, RelayCircuits circuits, BacklogMonitor backlog) {
        this.relay = relay;
        this.circuits = circuits;
        this.backlog = backlog;
    }

    @Override
    public Health health() {
        boolean leasesOk = relay.leases().healthy();
        Health.Builder health = circuits.anyNotClosed() || !leasesOk ? Health.down() : Health.up();
        return health.withDetail("member", relay.leases().member())
                .withDetail("mode", "polling")
                .withDetail("kafka", circuits.kafka().getState().name())
                .withDetail("database", circuits.database().getState().name())
                .withDetail("leases", leasesOk ? "renewed" : "renewal failing")
                .withDetail("ownedPartitions", relay.engine().owned())
                .withDetail("listening", relay.listening())
                .withDetail("paused", relay.engine().paused())
                .withDetail(
                        "backlog",
                        backlog.partitions().stream()
                                .mapToLong(PartitionBacklog::rows)
                                .sum())
                .withDetail("parked", backlog.parkedCount())
                .build();
    }
}
