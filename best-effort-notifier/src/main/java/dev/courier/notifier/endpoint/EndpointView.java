package dev.courier.notifier.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An endpoint as the API shows it. {@code secret} is present only in the answer that created it (on create and on
 * rotation); it is never shown again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(
        UUID id,
        String url,
        String description,
        String retryProfile,
        String ackMatcher,
        long timeoutMs,
        int maxConcurrency,
        int ratePerSecond,
        Map<String, String> headers,
        boolean enabled,
        String disabledReason,
        Instant createdAt,
        Instant updatedAt,
        String secret) {

    static EndpointView of(Endpoint endpoint, String secret) {
        return new EndpointView(
                endpoint.id(),
                endpoint.url().toString(),
                endpoint.description(),
                endpoint.retryProfile().spec(),
                endpoint.ackMatcher().spec(),
                endpoint.timeout().toMillis(),
                endpoint.maxConcurrency(),
                endpoint.ratePerSecond(),
                endpoint.headers(),
                endpoint.enabled(),
                endpoint.disabledReason(),
                endpoint.createdAt(),
                endpoint.updatedAt(),
                secret);
    }
}
