package dev.courier.notifier.delivery;

import dev.courier.notifier.application.ApplicationLimits;
import dev.courier.notifier.endpoint.Endpoint;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A notification claimed by this instance for one attempt.
 *
 * @param leaseToken written into the row by the claim; the attempt's result is stored only while it is still there
 * @param attemptsMade attempts before this one, in all
 * @param roundAttemptsMade attempts before this one since the notification was last (re)started
 * @param orderingKey the key it keeps its order in on an ordered endpoint, else null: when it finishes, the next
 *     delivery of its key goes
 * @param application the share of the endpoint's application, or null for an endpoint of no application
 * @param webhookId the {@code webhook-id} receivers de-duplicate by: the notification's id, or for a delivery of an
 *     application message the message's (the same on every endpoint it reaches)
 */
public record Claim(
        UUID notificationId,
        UUID webhookId,
        Endpoint endpoint,
        String eventType,
        String body,
        Map<String, String> headers,
        String traceparent,
        String tracestate,
        int attemptsMade,
        int roundAttemptsMade,
        Instant createdAt,
        String leaseToken,
        String orderingKey,
        ApplicationLimits application) {}
