package dev.courier.outbox;

import java.time.Duration;

/** The duration check that Courier's settings share (outbox, inbox, relay, RocketMQ fence). */
public final class Durations {

    private Durations() {}

    /**
     * Returns {@code value} when it is longer than zero.
     *
     * @param name the setting's name (e.g. {@code courier.relay.lease.ttl}), used in the error message
     * @throws IllegalArgumentException naming the setting when {@code value} is null, zero or negative
     */
    public static Duration requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
        return value;
    }
}
