package dev.courier.notifier.endpoint;

import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A receiver of notifications, as stored. Its signing secrets live apart and never leave the store except to sign.
 * {@link #toString()} masks the values of credential headers ({@link UserHeaders#isCredential}), so that an endpoint
 * written into a log or an exception message never carries them.
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
        Instant updatedAt) {

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        (headers == null ? Map.<String, String>of() : headers)
                .forEach((name, value) -> shown.put(name, UserHeaders.isCredential(name) ? "******" : value));
        return "Endpoint[id=" + id + ", url=" + url + ", description=" + description + ", retryProfile=" + retryProfile
                + ", ackMatcher=" + ackMatcher + ", timeout=" + timeout + ", maxConcurrency=" + maxConcurrency
                + ", ratePerSecond=" + ratePerSecond + ", headers=" + shown + ", enabled=" + enabled
                + ", disabledReason=" + disabledReason + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
