package dev.courier.supervision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Supervised loops in {@code /actuator/health}: UP while every one of them runs without failing, DOWN otherwise. With
 * one loop its details are the loop's; with several, one entry per loop.
 */
public final class LoopHealthIndicator implements HealthIndicator {

    private final List<LoopHealth> loops;

    public LoopHealthIndicator(LoopHealth loop) {
        this(List.of(loop));
    }

    public LoopHealthIndicator(List<LoopHealth> loops) {
        this.loops = List.copyOf(loops);
    }

    @Override
    public Health health() {
        boolean up = loops.stream().allMatch(LoopHealth::isUp);
        Health.Builder health = up ? Health.up() : Health.down();
        if (loops.size() == 1) {
            return health.withDetails(loops.getFirst().details()).build();
        }
        return health.withDetails(details(loops)).build();
    }

    /** Each loop's name with its details, for a service's own health indicator. */
    public static Map<String, Object> details(List<LoopHealth> loops) {
        Map<String, Object> details = new LinkedHashMap<>();
        loops.forEach(loop -> details.put(loop.name(), loop.details()));
        return details;
    }
}
