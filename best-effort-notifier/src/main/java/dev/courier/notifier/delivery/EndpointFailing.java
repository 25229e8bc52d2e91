package dev.courier.notifier.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * An application event: an endpoint's attempts failed {@code consecutiveFailures} times in a row, reaching
 * {@code courier.notifier.endpoint-failing-after} (published once per run of failures, when it reaches the bound).
 *
 * @param applicationId its application, or null
 */
public record EndpointFailing(UUID endpointId, String applicationId, int consecutiveFailures, Instant failingSince) {}
