package dev.courier.notifier.endpoint;

import dev.courier.notifier.delivery.AckMatcher;
import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A receiver of notifications, as stored. Its signing secrets live apart and never leave the store except to sign.
 *
 * @param headers sent with every notification to this endpoint (a notification's own headers override them)
 * @param disabledReason why the endpoint was disabled (e.g. it answered {@code 410 Gone}); null while enabled
 */
public record Endpoint(
        UUID id,
        URI url,
        String description,
        RetryProfile retryProfile,
        AckMatcher ackMatcher,
        Duration timeout,
        int maxConcurrency,
        int ratePerSecond,
        Map<String, String> headers,
        boolean enabled,
        String disabledReason,
        Instant createdAt,
        Instant updatedAt) {}
