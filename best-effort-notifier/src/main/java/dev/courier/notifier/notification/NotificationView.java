package dev.courier.notifier.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A notification as the API shows it; {@code attempts} only where one notification is asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationView(
        UUID id,
        UUID endpointId,
        String source,
        String idempotencyKey,
        String eventType,
        @JsonRawValue String payload,
        Map<String, String> headers,
        String traceparent,
        NotificationStatus status,
        int attemptCount,
        Instant nextAttemptAt,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        long cursor,
        UUID messageId,
        UUID webhookId,
        String orderingKey,
        Boolean held,
        List<Attempt> attempts) {

    public static NotificationView of(Notification n, List<Attempt> attempts) {
        return new NotificationView(
                n.id(),
                n.endpointId(),
                n.source(),
                n.idempotencyKey(),
                n.eventType(),
                n.body(),
                n.headers(),
                n.traceparent(),
                n.status(),
                n.attempts(),
                n.status() == NotificationStatus.PENDING && !n.held() ? n.nextAttemptAt() : null,
                n.lastStatusCode(),
                n.lastError(),
                n.createdAt(),
                n.updatedAt(),
                n.finishedAt(),
                n.feedSeq(),
                n.messageId(),
                n.webhookId(),
                n.orderingKey(),
                n.status() == NotificationStatus.PENDING && n.held() ? Boolean.TRUE : null,
                attempts);
    }
}
