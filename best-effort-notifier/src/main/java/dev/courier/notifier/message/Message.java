package dev.courier.notifier.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message sent to an application, as stored. Each endpoint of the application subscribed to its event type and
 * channels when it came in got a delivery of it (a notification with {@code messageId} set).
 *
 * @param id the {@code webhook-id} of every delivery, so that a receiver behind several endpoints de-duplicates it
 * @param source where it came in ({@code api}, or {@code kafka:<topic>})
 * @param idempotencyKey unique per application: the same key returns the same message
 * @param orderingKey the key its deliveries keep their order in on ordered endpoints, or null
 */
public record Message(
        UUID id,
        String applicationId,
        String source,
        String idempotencyKey,
        String eventType,
        List<String> channels,
        String body,
        Map<String, String> headers,
        String traceparent,
        String tracestate,
        String orderingKey,
        Instant createdAt) {}
