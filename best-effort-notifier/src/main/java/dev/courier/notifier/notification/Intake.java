package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StateConflictException;
import dev.courier.notifier.StorableText;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.endpoint.UserHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accepts notifications from every intake (REST, Kafka): validates them, refuses what cannot be delivered, and makes
 * a repeated idempotency key return the notification stored first.
 */
public final class Intake {

    public static final int MAX_KEY_LENGTH = 255;
    public static final int MAX_EVENT_TYPE_LENGTH = 255;
    /** The {@code source} column: {@code api}, or {@code kafka:} and a topic name of up to 249 characters. */
    public static final int MAX_SOURCE_LENGTH = 256;

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9._:/-]+");
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    /** W3C tracestate: list members of printable ASCII, at most 512 characters in all. */
    private static final Pattern TRACESTATE = Pattern.compile("[\\x20-\\x7e]{1,512}");

    private final NotificationStore notifications;
    private final EndpointStore endpoints;
    private final long maxBodyBytes;
    private final Runnable onAccepted;

    /**
     * @param onAccepted runs after a new notification is stored (the dispatcher's wake-up, so that it is sent at
     *     once instead of at the next poll)
     */
    public Intake(NotificationStore notifications, EndpointStore endpoints, long maxBodyBytes, Runnable onAccepted) {
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
     */
    public record Submission(
            UUID endpointId,
            String source,
            String idempotencyKey,
            String eventType,
            String body,
            Map<String, String> headers,
            String traceparent,
            String tracestate) {}

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
        if (submission.source() == null
                || submission.source().length() > MAX_SOURCE_LENGTH
                || !StorableText.isStorable(submission.source())) {
            errors.add("source: at most " + MAX_SOURCE_LENGTH + " characters");
        }
        String key = submission.idempotencyKey();
        if (key == null
                || key.isBlank()
                || key.length() > MAX_KEY_LENGTH
                || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || !StorableText.isStorable(key)) {
            errors.add("Idempotency-Key: required, 1 to " + MAX_KEY_LENGTH + " characters without control characters");
        }
        String eventType = submission.eventType();
        if (eventType == null
                || eventType.length() > MAX_EVENT_TYPE_LENGTH
                || !EVENT_TYPE.matcher(eventType).matches()) {
            errors.add("eventType: required, 1 to " + MAX_EVENT_TYPE_LENGTH
                    + " characters of letters, digits and . _ : / -");
        }
        if (submission.body() == null) {
            errors.add("payload: required (any JSON value)");
        } else if (!StorableText.isStorable(submission.body())) {
            errors.add("payload: contains an unpaired UTF-16 surrogate (not valid Unicode text)");
        } else if (submission.body().getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
            errors.add("payload: larger than " + maxBodyBytes + " bytes (courier.notifier.max-body-size)");
        }
        Map<String, String> headers = submission.headers() == null ? Map.of() : submission.headers();
        UserHeaders.validate(headers, "headers", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Endpoint endpoint = endpoints
                .find(submission.endpointId())
                .orElseThrow(() -> new NoSuchResourceException("no endpoint " + submission.endpointId()));
        if (!endpoint.enabled()) {
            throw new StateConflictException.EndpointDisabled("endpoint " + endpoint.id() + " is disabled"
                    + (endpoint.disabledReason() == null ? "" : ": " + endpoint.disabledReason()));
        }
        String traceparent = submission.traceparent() != null
                        && TRACEPARENT.matcher(submission.traceparent()).matches()
                ? submission.traceparent()
                : null;
        String tracestate = traceparent != null
                        && submission.tracestate() != null
                        && TRACESTATE.matcher(submission.tracestate()).matches()
                ? submission.tracestate()
                : null;
        NotificationStore.Accepted accepted = notifications.accept(
                endpoint.id(),
                submission.source(),
                key,
                eventType,
                submission.body(),
                headers,
                traceparent,
                tracestate);
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
            onAccepted.run();
        }
        return accepted;
    }
}
