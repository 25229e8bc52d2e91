package dev.courier.notifier.endpoint;

import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A receiver of notifications, as stored: its {@link EndpointSettings} and what the notifier keeps about it. Its
 * signing secrets live apart and never leave the store except to sign. The accessors below read the settings, so
 * callers need not care which of the two holds a value; {@link #toString()} masks credential headers.
 *
 * @param applicationId the application that owns it, or null for an endpoint addressed on its own
 * @param disabledReason why the endpoint was disabled (e.g. it answered {@code 410 Gone}); null while enabled
 */
public record Endpoint(
        UUID id,
        String applicationId,
        EndpointSettings settings,
        String disabledReason,
        Instant createdAt,
        Instant updatedAt) {

    public URI url() {
        return settings.url();
    }

    public String description() {
        return settings.description();
    }

    public RetryProfile retryProfile() {
        return settings.retryProfile();
    }

    public AckMatcher ackMatcher() {
        return settings.ackMatcher();
    }

    public Duration timeout() {
        return settings.timeout();
    }

    public int maxConcurrency() {
        return settings.maxConcurrency();
    }

    public int ratePerSecond() {
        return settings.ratePerSecond();
    }

    /** Sent with every notification to this endpoint (a notification's own headers override them). */
    public Map<String, String> headers() {
        return settings.headers();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public Subscription subscription() {
        return settings.subscription();
    }

    public Ordering ordering() {
        return settings.ordering();
    }

    /** How a notification of {@code eventType} is delivered to this endpoint. */
    public DeliveryPolicy policyFor(String eventType) {
        return settings.policyFor(eventType);
    }

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", applicationId=" + applicationId + ", " + settings + ", disabledReason="
                + disabledReason + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
