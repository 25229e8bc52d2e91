package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StateConflictException;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.endpoint.UserHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Accepts notifications from every intake (REST, Kafka): validates them, refuses what cannot be delivered, and makes
 * a repeated idempotency key return the notification stored first.
 */
public final class Intake {

    private final NotificationStore notifications;
    private final EndpointStore endpoints;
    private final long maxBodyBytes;
    private final Consumer<UUID> onAccepted;

    /**
     * @param onAccepted runs with the endpoint after a new notification for it is stored (the dispatcher's wake-up,
     *     so that it is sent at once instead of at the next poll)
     */
    public Intake(
            NotificationStore notifications, EndpointStore endpoints, long maxBodyBytes, Consumer<UUID> onAccepted) {
        this.notifications = notifications;
        this.endpoints = endpoints;
        this.maxBodyBytes = maxBodyBytes;
        this.onAccepted = onAccepted;
    }

    /**
     * A notification to accept.
     *
     * @param body the JSON text to deliver
     * @param traceparent the W3C trace context of the caller, or null; an invalid one is dropped, not refused
     * @param tracestate the W3C vendor trace data that came with it, or null; kept only with a valid traceparent, and
     *     dropped, not refused, when longer than 512 characters or not printable ASCII
     * @param orderingKey the key whose deliveries an ordered endpoint receives one at a time, in acceptance order;
     *     null, or ignored by an unordered endpoint, for none
     */
    public record Submission(
            UUID endpointId,
            String source,
            String idempotencyKey,
            String eventType,
            String body,
            Map<String, String> headers,
            String traceparent,
            String tracestate,
            String orderingKey) {}

    /**
     * @throws InvalidInputException listing every problem of the submission; nothing is stored
     * @throws NoSuchResourceException when the endpoint does not exist
     * @throws StateConflictException when the endpoint is disabled, or the key was used for a different notification
     */
    public NotificationStore.Accepted accept(Submission submission) {
        List<String> errors = new ArrayList<>();
        if (submission.endpointId() == null) {
            errors.add("endpointId: required");
        }
        SubmissionChecks.source(submission.source(), errors);
        String key = submission.idempotencyKey();
        SubmissionChecks.idempotencyKey(key, errors);
        String eventType = submission.eventType();
        SubmissionChecks.eventType(eventType, errors);
        SubmissionChecks.body(submission.body(), maxBodyBytes, errors);
        Map<String, String> headers = submission.headers() == null ? Map.of() : submission.headers();
        UserHeaders.validate(headers, "headers", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Endpoint endpoint = endpoints
                .find(submission.endpointId())
                .orElseThrow(() -> new NoSuchResourceException("no endpoint " + submission.endpointId()));
        String orderingKey = endpoint.ordering().ordered() ? submission.orderingKey() : null;
        SubmissionChecks.orderingKey(orderingKey, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!endpoint.enabled()) {
            throw new StateConflictException.EndpointDisabled("endpoint " + endpoint.id() + " is disabled"
                    + (endpoint.disabledReason() == null ? "" : ": " + endpoint.disabledReason()));
        }
        String traceparent = SubmissionChecks.traceparent(submission.traceparent());
        String tracestate = SubmissionChecks.tracestate(traceparent, submission.tracestate());
        NotificationStore.Accepted accepted = notifications.accept(
                endpoint.id(),
                submission.source(),
                key,
                eventType,
                submission.body(),
                headers,
                traceparent,
                tracestate,
                orderingKey);
        Notification stored = accepted.notification();
        if (!accepted.created()
                && (!stored.endpointId().equals(endpoint.id())
                        || !stored.eventType().equals(eventType)
                        || !Objects.equals(stored.body(), submission.body())
                        || !stored.headers().equals(headers))) {
            throw new StateConflictException.IdempotencyKeyReused(
                    "Idempotency-Key '" + key + "' was used for notification " + stored.id()
                            + " with a different endpoint, event type, payload or headers");
        }
        if (accepted.created()) {
            onAccepted.accept(endpoint.id());
        }
        return accepted;
    }
}
