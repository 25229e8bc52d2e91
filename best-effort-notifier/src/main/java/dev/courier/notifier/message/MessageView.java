package dev.courier.notifier.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.courier.notifier.notification.Notification;
import dev.courier.notifier.notification.NotificationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message as the API shows it, with its deliveries where one message is asked for (each delivery's attempts are at
 * {@code /api/applications/{application}/deliveries/{id}}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(
        UUID id,
        String applicationId,
        String source,
        String idempotencyKey,
        String eventType,
        List<String> channels,
        @JsonRawValue String payload,
        Map<String, String> headers,
        String traceparent,
        String orderingKey,
        Instant createdAt,
        List<Delivery> deliveries) {

    /** One delivery of the message, to one endpoint, with its own attempts, schedule and status. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(
            UUID id,
            UUID endpointId,
            NotificationStatus status,
            int attemptCount,
            Instant nextAttemptAt,
            Boolean held,
            Integer lastStatusCode,
            String lastError,
            Instant finishedAt) {

        static Delivery of(Notification n) {
            return new Delivery(
                    n.id(),
                    n.endpointId(),
                    n.status(),
                    n.attempts(),
                    n.status() == NotificationStatus.PENDING && !n.held() ? n.nextAttemptAt() : null,
                    n.status() == NotificationStatus.PENDING && n.held() ? Boolean.TRUE : null,
                    n.lastStatusCode(),
                    n.lastError(),
                    n.finishedAt());
        }
    }

    static MessageView of(Message message, List<Notification> deliveries) {
        return new MessageView(
                message.id(),
                message.applicationId(),
                message.source(),
                message.idempotencyKey(),
                message.eventType(),
                message.channels(),
                message.body(),
                message.headers(),
                message.traceparent(),
                message.orderingKey(),
                message.createdAt(),
                deliveries == null
                        ? null
                        : deliveries.stream().map(Delivery::of).toList());
    }
}
