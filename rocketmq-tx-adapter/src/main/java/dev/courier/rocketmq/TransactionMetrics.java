package dev.courier.rocketmq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code courier.rocketmq.sends{outcome}}, {@code courier.rocketmq.checks{answer}} and the duration of local
 * transactions, {@code courier.rocketmq.local.transaction{outcome}}; tagged with the producer group. Each meter is
 * registered once, on first use, and looked up by its tag value afterwards.
 */
final class TransactionMetrics {

    private final MeterRegistry registry;
    private final String group;
    private final Map<String, Counter> sends = new ConcurrentHashMap<>();
    private final Map<String, Counter> checks = new ConcurrentHashMap<>();
    private final Map<TransactionOutcome, Timer> localTransactions = new ConcurrentHashMap<>();

    TransactionMetrics(MeterRegistry registry, String group) {
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        this.group = group;
    }

    /** {@code outcome}: committed, rolled_back, unknown, or failed (the half message was not stored). */
    void sent(String outcome) {
        sends.computeIfAbsent(
                        outcome,
                        tag -> Counter.builder("courier.rocketmq.sends")
                                .description("Transactional sends by outcome")
                                .tag("group", group)
                                .tag("outcome", tag)
                                .register(registry))
                .increment();
    }

    void sent(TransactionOutcome outcome) {
        sent(tag(outcome));
    }

    /** {@code answer}: commit, rollback or unknown. */
    void checked(String answer) {
        checks.computeIfAbsent(
                        answer,
                        tag -> Counter.builder("courier.rocketmq.checks")
                                .description("Check-backs of the broker answered, by answer")
                                .tag("group", group)
                                .tag("answer", tag)
                                .register(registry))
                .increment();
    }

    void localTransaction(long nanos, TransactionOutcome outcome) {
        localTransactions
                .computeIfAbsent(
                        outcome,
                        key -> Timer.builder("courier.rocketmq.local.transaction")
                                .description("Duration of local transactions (fence row, work, commit)")
                                .tag("group", group)
                                .tag("outcome", tag(key))
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String tag(TransactionOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
