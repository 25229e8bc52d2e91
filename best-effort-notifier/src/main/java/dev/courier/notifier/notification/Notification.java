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
        long feedSeq) {}
