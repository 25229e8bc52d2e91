package dev.courier.notifier.health;

import dev.courier.notifier.LoopHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** A supervised loop in {@code /actuator/health}: UP while it runs without failing, DOWN otherwise. */
public final class LoopHealthIndicator implements HealthIndicator {

    private final LoopHealth loop;

    public LoopHealthIndicator(LoopHealth loop) {
        this.loop = loop;
    }

    @Override
    public Health health() {
        return (loop.isUp() ? Health.up() : Health.down())
                .withDetails(loop.details())
                .build();
    }
}
