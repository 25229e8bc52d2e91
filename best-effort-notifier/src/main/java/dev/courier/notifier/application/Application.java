package dev.courier.notifier.application;

import java.time.Instant;

/**
 * A tenant of the notifier (one merchant, one customer): it owns endpoints, receives messages that fan out to those
 * subscribed, and may hold API tokens that reach only its own data.
 *
 * @param id chosen by the platform (its merchant or customer id), {@link ApplicationRequest#ID} characters
 * @param ratePerSecond the most requests per second this instance sends to all its endpoints together
 * @param maxConcurrency the most requests this instance has in flight to all its endpoints together
 */
public record Application(
        String id, String name, int ratePerSecond, int maxConcurrency, Instant createdAt, Instant updatedAt) {}
