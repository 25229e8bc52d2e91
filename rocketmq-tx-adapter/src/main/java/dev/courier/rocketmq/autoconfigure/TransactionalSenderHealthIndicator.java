package dev.courier.rocketmq.autoconfigure;

import dev.courier.rocketmq.TransactionalSender;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP while the producer runs and finds a broker for each configured topic. */
final class TransactionalSenderHealthIndicator implements HealthIndicator {

    private final TransactionalSender sender;

    TransactionalSenderHealthIndicator(TransactionalSender sender) {
        this.sender = sender;
    }

    @Override
    public Health health() {
        Health.Builder health = sender.healthy() ? Health.up() : Health.down();
        return health.withDetail("group", sender.group())
                .withDetail("topics", sender.topics())
                .build();
    }
}
