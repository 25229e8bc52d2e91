package dev.courier.notifier.message;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StateConflictException;
import dev.courier.notifier.application.ApplicationRequest;
import dev.courier.notifier.application.ApplicationStore;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.endpoint.Subscription;
import dev.courier.notifier.endpoint.UserHeaders;
import dev.courier.notifier.notification.NotificationStore;
import dev.courier.notifier.notification.SubmissionChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts messages for applications from every intake (REST, Kafka) and fans each out: in the transaction that
 * stores it, one delivery per enabled endpoint of the application whose subscription takes its event type and
 * channels. A repeated idempotency key returns the message stored first, with no new delivery.
 */
public final class MessageIntake {

    private final MessageStore messages;
    private final NotificationStore notifications;
    private final EndpointStore endpoints;
    private final ApplicationStore applications;
    private final TransactionTemplate transactions;
    private final long maxBodyBytes;
    private final Runnable onDeliveries;

    /** @param onDeliveries runs after a message with at least one delivery is stored (the dispatcher's wake-up) */
    public MessageIntake(
            MessageStore messages,
            NotificationStore notifications,
            EndpointStore endpoints,
            ApplicationStore applications,
            TransactionTemplate transactions,
            long maxBodyBytes,
            Runnable onDeliveries) {
        this.messages = messages;
        this.notifications = notifications;
        this.endpoints = endpoints;
        this.applications = applications;
        this.transactions = transactions;
        this.maxBodyBytes = maxBodyBytes;
        this.onDeliveries = onDeliveries;
    }

    /**
     * A message to accept.
     *
     * @param channels the channels it belongs to (none: it reaches only endpoints without channels)
     * @param body the JSON text to deliver
     * @param traceparent the W3C trace context of the caller, or null; an invalid one is dropped, not refused
     * @param orderingKey the key whose deliveries each ordered endpoint receives one at a time, or null
     */
    public record Submission(
            String applicationId,
            String source,
            String idempotencyKey,
            String eventType,
            List<String> channels,
            String body,
            Map<String, String> headers,
            String traceparent,
            String tracestate,
            String orderingKey) {}

    /** What {@link #accept} did: stored a new message with {@code deliveries}, or found the one stored earlier. */
    public record Accepted(Message message, int deliveries, boolean created) {}

    /**
     * @throws InvalidInputException listing every problem of the submission; nothing is stored
     * @throws NoSuchResourceException when the application does not exist
     * @throws StateConflictException.IdempotencyKeyReused when the key was used for a different message
     */
    public Accepted accept(Submission submission) {
        List<String> errors = new ArrayList<>();
        if (!ApplicationRequest.isId(submission.applicationId())) {
            errors.add("application: an application id, 1 to 64 letters, digits, '.', '_' or '-'");
        }
        SubmissionChecks.source(submission.source(), errors);
        SubmissionChecks.idempotencyKey(submission.idempotencyKey(), errors);
        SubmissionChecks.eventType(submission.eventType(), errors);
        SubmissionChecks.body(submission.body(), maxBodyBytes, errors);
        SubmissionChecks.orderingKey(submission.orderingKey(), errors);
        List<String> channels = submission.channels() == null ? List.of() : submission.channels();
        Subscription.validateChannels(channels, "channels", errors);
        Map<String, String> headers = submission.headers() == null ? Map.of() : submission.headers();
        UserHeaders.validate(headers, "headers", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        applications.existing(submission.applicationId());
        String traceparent = SubmissionChecks.traceparent(submission.traceparent());
        Message message = new Message(
                null,
                submission.applicationId(),
                submission.source(),
                submission.idempotencyKey(),
                submission.eventType(),
                channels.stream().distinct().toList(),
                submission.body(),
                Map.copyOf(headers),
                traceparent,
                SubmissionChecks.tracestate(traceparent, submission.tracestate()),
                submission.orderingKey(),
                null);
        Accepted accepted = transactions.execute(status -> store(message));
        if (!accepted.created() && !sameContent(accepted.message(), message)) {
            throw new StateConflictException.IdempotencyKeyReused("Idempotency-Key '" + message.idempotencyKey()
                    + "' was used for message " + accepted.message().id()
                    + " with a different event type, channels, payload or headers");
        }
        if (accepted.deliveries() > 0) {
            onDeliveries.run();
        }
        return accepted;
    }

    private Accepted store(Message message) {
        Optional<Message> stored = messages.insert(message);
        if (stored.isEmpty()) {
            return new Accepted(
                    messages.findByKey(message.applicationId(), message.idempotencyKey())
                            .orElseThrow(),
                    0,
                    false);
        }
        List<Endpoint> subscribers =
                endpoints.subscribers(message.applicationId(), message.eventType(), message.channels());
        List<String> orderingKeys = new ArrayList<>();
        subscribers.forEach(e -> orderingKeys.add(e.ordering().ordered() ? message.orderingKey() : null));
        int deliveries = notifications.fanOut(
                stored.get().id(),
                subscribers.stream().map(Endpoint::id).toList(),
                orderingKeys,
                message.eventType(),
                message.headers(),
                message.traceparent(),
                message.tracestate());
        return new Accepted(stored.get(), deliveries, true);
    }

    private static boolean sameContent(Message stored, Message submitted) {
        return stored.eventType().equals(submitted.eventType())
                && Objects.equals(stored.orderingKey(), submitted.orderingKey())
                && stored.body().equals(submitted.body())
                && stored.headers().equals(submitted.headers())
                && stored.channels().equals(submitted.channels());
    }
}
