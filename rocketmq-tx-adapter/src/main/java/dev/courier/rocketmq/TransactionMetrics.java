package dev.courier.rocketmq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code courier.rocketmq.sends{outcome}}, {@code courier.rocketmq.checks{answer}} and the duration of local
 * transactions, {@code courier.rocketmq.local.transaction{outcome}}; tagged with the producer group.
 */
final class TransactionMetrics {

    private final MeterRegistry registry;
    private final String group;

    TransactionMetrics(MeterRegistry registry, String group) {
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        this.group = group;
    }

    /** {@code outcome}: committed, rolled_back, unknown, or failed (the half message was not stored). */
    void sent(String outcome) {
        Counter.builder("courier.rocketmq.sends")
                .description("Transactional sends by outcome")
                .tag("group", group)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    void sent(TransactionOutcome outcome) {
        sent(outcome.name().toLowerCase(Locale.ROOT));
    }

    /** {@code answer}: commit, rollback or unknown. */
    void checked(String answer) {
        Counter.builder("courier.rocketmq.checks")
                .description("Check-backs of the broker answered, by answer")
                .tag("group", group)
                .tag("answer", answer)
                .register(registry)
                .increment();
    }

    void localTransaction(long nanos, TransactionOutcome outcome) {
        Timer.builder("courier.rocketmq.local.transaction")
                .description("Duration of local transactions (fence row, work, commit)")
                .tag("group", group)
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
