package dev.courier.notifier.delivery;

import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import dev.courier.supervision.LoopHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code courier.notifier.attempts} (by outcome), {@code courier.notifier.attempt.duration} (by outcome),
 * {@code courier.notifier.deliveries} (finished notifications by final status) and {@code courier.notifier.claims}
 * (claim statements and their duration).
 */
public final class DeliveryMetrics {

    private final Map<AttemptOutcome, Counter> attempts = new EnumMap<>(AttemptOutcome.class);
    private final Map<AttemptOutcome, Timer> durations = new EnumMap<>(AttemptOutcome.class);
    private final Map<NotificationStatus, Counter> finished = new EnumMap<>(NotificationStatus.class);
    private final Counter handedBack;
    private final Timer claimsOfAll;
    private final Timer claimsOfWoken;
    private final Counter staleResults;
    private final Counter secretReadsByClaim;
    private final Counter secretReadsByDelivery;

    private final MeterRegistry loopRegistry;

    /** The supervised state of one of the delivery loops, with its metrics in this registry. */
    LoopHealth loopHealth(String name) {
        return new LoopHealth("courier.notifier.loop", name, loopRegistry);
    }

    public DeliveryMetrics(MeterRegistry registry) {
        this.loopRegistry = registry;
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            String tag = outcome.name().toLowerCase(Locale.ROOT);
            attempts.put(
                    outcome,
                    Counter.builder("courier.notifier.attempts")
                            .description("HTTP requests sent to receivers")
                            .tag("outcome", tag)
                            .register(registry));
            durations.put(
                    outcome,
                    Timer.builder("courier.notifier.attempt.duration")
                            .description("Time from sending a request to its outcome")
                            .tag("outcome", tag)
                            .publishPercentileHistogram()
                            .register(registry));
        }
        for (NotificationStatus status : NotificationStatus.values()) {
            if (status != NotificationStatus.PENDING) {
                finished.put(
                        status,
                        Counter.builder("courier.notifier.deliveries")
                                .description("Notifications finished, by final status")
                                .tag("outcome", status.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
        }
        claimsOfAll = claimTimer(registry, "all");
        claimsOfWoken = claimTimer(registry, "woken");
        handedBack = Counter.builder("courier.notifier.claims.handed.back")
                .description("Claims given back unsent because their endpoint was saturated or its circuit open")
                .register(registry);
        secretReadsByClaim = secretReads(registry, "claim");
        secretReadsByDelivery = secretReads(registry, "delivery");
        staleResults = Counter.builder("courier.notifier.attempts.stale")
                .description("Attempts whose result came after the notification was cancelled or reclaimed")
                .register(registry);
    }

    void attempt(AttemptOutcome outcome, Duration took) {
        attempts.get(outcome).increment();
        durations.get(outcome).record(took);
    }

    void finished(NotificationStatus status) {
        Counter counter = finished.get(status);
        if (counter != null) {
            counter.increment();
        }
    }

    /** A claim statement run: among all enabled endpoints, or only those woken by new work ({@code scope}). */
    void claimed(boolean ofAll, Duration took) {
        (ofAll ? claimsOfAll : claimsOfWoken).record(took);
    }

    private static Counter secretReads(MeterRegistry registry, String by) {
        return Counter.builder("courier.notifier.secrets.reads")
                .description("Queries for endpoints' signing secrets: one per claim for its endpoints whose cached"
                        + " secrets are stale, or one by a delivery that found none cached")
                .tag("by", by)
                .register(registry);
    }

    /** A query for signing secrets, by the dispatcher for a claim's endpoints or by a single delivery. */
    void secretsRead(boolean forClaim) {
        (forClaim ? secretReadsByClaim : secretReadsByDelivery).increment();
    }

    private static Timer claimTimer(MeterRegistry registry, String scope) {
        return Timer.builder("courier.notifier.claims")
                .description("Claim statements run (each looks for due notifications once), and how long each took;"
                        + " scope: among all endpoints, or only those woken by new work")
                .tag("scope", scope)
                .register(registry);
    }

    void handedBack() {
        handedBack.increment();
    }

    void stale() {
        staleResults.increment();
    }
}
