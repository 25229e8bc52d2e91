package dev.courier.relay.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The replication slot as last sampled: lag and retained WAL for metrics, and how long it has gone without a reader
 * (missing, or present with no walsender attached), which turns health DOWN after the configured limit. A slot nobody
 * reads keeps WAL on the server's disk without bound, so this is the alert that matters most in cdc mode.
 *
 * <p>Every instance samples, leader or not, so that each one's health tells whether the slot is served.
 */
final class SlotMonitor {

    private final ReplicationSlot slot;
    private final Duration inactiveLimit;
    private final Clock clock;

    private volatile Optional<ReplicationSlot.State> last = Optional.empty();
    private volatile boolean sampled;
    /** When the slot was first seen missing or inactive since it was last active; null while active. */
    private volatile Instant unreadSince;

    SlotMonitor(ReplicationSlot slot, Duration inactiveLimit, Clock clock) {
        this.slot = slot;
        this.inactiveLimit = inactiveLimit;
        this.clock = clock;
        this.unreadSince = clock.instant();
    }

    /** Reads the slot's state now. A database error leaves the last sample in place (the circuit reports outages). */
    void sample() {
        Optional<ReplicationSlot.State> state = slot.state();
        last = state;
        sampled = true;
        if (state.map(ReplicationSlot.State::active).orElse(false)) {
            unreadSince = null;
        } else if (unreadSince == null) {
            unreadSince = clock.instant();
        }
    }

    /** Whether the slot has been missing or without a reader for longer than the limit. */
    boolean unreadTooLong() {
        Instant since = unreadSince;
        return since != null && Duration.between(since, clock.instant()).compareTo(inactiveLimit) > 0;
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (!sampled) {
            return details;
        }
        Optional<ReplicationSlot.State> state = last;
        details.put("slotExists", state.isPresent());
        state.ifPresent(s -> {
            details.put("slotActive", s.active());
            details.put("slotLagBytes", s.lagBytes());
            details.put("slotRetainedWalBytes", s.retainedBytes());
        });
        Instant since = unreadSince;
        if (since != null) {
            details.put("slotUnreadSince", since.toString());
        }
        return details;
    }

    void registerMetrics(MeterRegistry registry) {
        String name = slot.name();
        Gauge.builder("courier.relay.cdc.slot.lag", this, m -> m.bytes(ReplicationSlot.State::lagBytes))
                .description("WAL written since the position the relay confirmed to the slot")
                .baseUnit("bytes")
                .tag("slot", name)
                .register(registry);
        Gauge.builder("courier.relay.cdc.slot.retained", this, m -> m.bytes(ReplicationSlot.State::retainedBytes))
                .description("WAL the server keeps on disk for the slot")
                .baseUnit("bytes")
                .tag("slot", name)
                .register(registry);
        Gauge.builder(
                        "courier.relay.cdc.slot.active",
                        this,
                        m -> m.last.map(ReplicationSlot.State::active).orElse(false) ? 1 : 0)
                .description("1 while a walsender reads the slot")
                .tag("slot", name)
                .register(registry);
        Gauge.builder("courier.relay.cdc.slot.unread", this, SlotMonitor::unreadSeconds)
                .description("How long the slot has been missing or without a reader; 0 while it is read")
                .baseUnit("seconds")
                .tag("slot", name)
                .register(registry);
    }

    private double bytes(ToLongFunction<ReplicationSlot.State> value) {
        return last.map(state -> (double) value.applyAsLong(state)).orElse(Double.NaN);
    }

    private double unreadSeconds() {
        Instant since = unreadSince;
        return since == null ? 0 : Duration.between(since, clock.instant()).toMillis() / 1000.0;
    }
}
