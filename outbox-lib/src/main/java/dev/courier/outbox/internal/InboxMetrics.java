package dev.courier.outbox.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

final class InboxMetrics {

    private final Meter.MeterProvider<Counter> processed;
    private final Meter.MeterProvider<Counter> duplicates;

    InboxMetrics(MeterRegistry registry) {
        this.processed = Counter.builder("courier.inbox.processed")
                .description("Messages whose work ran (counted when the work returned)")
                .withRegistry(registry);
        this.duplicates = Counter.builder("courier.inbox.duplicates")
                .description("Messages skipped because their id was already recorded")
                .withRegistry(registry);
    }

    void processed(String consumer) {
        processed.withTag("consumer", consumer).increment();
    }

    void duplicate(String consumer) {
        duplicates.withTag("consumer", consumer).increment();
    }
}
