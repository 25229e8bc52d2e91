package dev.courier.notifier.notification;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A notification as stored.
 *
 * @param id the {@code webhook-id} receivers de-duplicate by, the same on every attempt
 * @param source where it came in ({@code api}, or {@code kafka:<topic>})
 * @param idempotencyKey unique per source: the same key returns the same notification
 * @param body the JSON sent as the request body
 * @param feedSeq its position in the endpoint's pull feed
 * @param messageId the application message it delivers, or null for a notification addressed to its endpoint
 * @param orderingKey the key it keeps its order in on an ordered endpoint, else null
 * @param held pending behind an earlier delivery of its key (never claimed until that one finishes)
 */
public record Notification(
        UUID id,
        UUID endpointId,
        String source,
        String idempotencyKey,
        String eventType,
        String body,
        Map<String, String> headers,
        String traceparent,
        NotificationStatus status,
        int attempts,
        Instant nextAttemptAt,
        boolean inFlight,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        long feedSeq,
        UUID messageId,
        String orderingKey,
        boolean held) {

    /** What receivers de-duplicate by: the message's id for a delivery of a message (as on every endpoint), else its own. */
    public UUID webhookId() {
        return messageId != null ? messageId : id;
    }
}
