package dev.courier.outbox.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** Meters of the writing side. Counted at write time, so a write that later rolls back is counted too. */
final class OutboxMetrics {

    private final Meter.MeterProvider<Counter> written;
    private final Meter.MeterProvider<DistributionSummary> payloadBytes;

    OutboxMetrics(MeterRegistry registry) {
        this.written = Counter.builder("courier.outbox.messages.written")
                .description("Outbox messages written inside a transaction")
                .withRegistry(registry);
        this.payloadBytes = DistributionSummary.builder("courier.outbox.payload.bytes")
                .description("Size of outbox payloads")
                .baseUnit("bytes")
                .withRegistry(registry);
    }

    void recordWrite(String aggregateType, int payloadSize) {
        written.withTag("aggregatetype", aggregateType).increment();
        payloadBytes.withTag("aggregatetype", aggregateType).record(payloadSize);
    }
}
