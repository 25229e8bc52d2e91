package dev.courier.notifier.message;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.application.ApplicationStore;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.notification.NotificationStore;
import dev.courier.notifier.notification.RequestFields;
import dev.courier.notifier.notification.SubmissionChecks;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/applications/{application}/messages}: send a message to an application (fanned out to its subscribed
 * endpoints), read it with its deliveries, redeliver it to one endpoint or all. The application's own token
 * suffices; a message of another application is not found.
 */
@RestController
@RequestMapping(path = "/api/applications/{application}/messages", produces = "application/json")
class MessageController {

    static final String API_SOURCE = "api";

    private final MessageIntake intake;
    private final MessageStore messages;
    private final NotificationStore notifications;
    private final EndpointStore endpoints;
    private final ApplicationStore applications;
    private final JsonMapper json = JsonMapper.builder().build();

    MessageController(
            MessageIntake intake,
            MessageStore messages,
            NotificationStore notifications,
            EndpointStore endpoints,
            ApplicationStore applications) {
        this.intake = intake;
        this.messages = messages;
        this.notifications = notifications;
        this.endpoints = endpoints;
        this.applications = applications;
    }

    /**
     * Accepts {@code {"eventType": ..., "payload": <any JSON>, "channels": [...], "headers": {...}}} with a required
     * {@code Idempotency-Key}: 202 with the message and its deliveries, or 200 with the message accepted earlier
     * under that key.
     */
    @PostMapping(consumes = "application/json")
    ResponseEntity<MessageView> send(
            @PathVariable String application,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "traceparent", required = false) String traceparent,
            @RequestHeader(name = "tracestate", required = false) String tracestate,
            @RequestBody JsonNode request) {
        if (!request.isObject()) {
            throw new InvalidInputException("the body must be a JSON object");
        }
        MessageIntake.Accepted accepted = intake.accept(new MessageIntake.Submission(
                application,
                API_SOURCE,
                idempotencyKey,
                RequestFields.text(request.path("eventType")),
                RequestFields.strings(request.path("channels"), "channels"),
                request.has("payload") ? json.writeValueAsString(request.get("payload")) : null,
                RequestFields.headers(request.path("headers")),
                traceparent,
                tracestate,
                RequestFields.optionalText(request.path("orderingKey"), "orderingKey")));
        Message message = accepted.message();
        MessageView view = MessageView.of(message, notifications.deliveries(message.id()));
        return accepted.created()
                ? ResponseEntity.accepted()
                        .location(URI.create("/api/applications/" + application + "/messages/" + message.id()))
                        .body(view)
                : ResponseEntity.ok(view);
    }

    /** The application's messages, newest first; {@code before} (an id from the previous page) pages on. */
    @GetMapping
    List<MessageView> list(
            @PathVariable String application,
            @RequestParam(required = false) String eventType,
            @RequestParam(required = false) UUID before,
            @RequestParam(defaultValue = "100") int limit) {
        SubmissionChecks.listing(limit, eventType);
        applications.existing(application);
        return messages.list(application, eventType, before, limit).stream()
                .map(m -> MessageView.of(m, null))
                .toList();
    }

    @GetMapping("/{id}")
    MessageView get(@PathVariable String application, @PathVariable UUID id) {
        Message message = existing(application, id);
        return MessageView.of(message, notifications.deliveries(id));
    }

    record RedeliveryRequest(UUID endpointId) {}

    record Redelivery(int redelivered, MessageView message) {}

    /**
     * Makes the message's finished deliveries due again with a fresh round: to every endpoint, or only to {@code
     * endpointId}. Deliveries still pending are left as they are.
     */
    @PostMapping("/{id}/redeliver")
    ResponseEntity<Redelivery> redeliver(
            @PathVariable String application,
            @PathVariable UUID id,
            @RequestBody(required = false) RedeliveryRequest request) {
        Message message = existing(application, id);
        UUID endpointId = request == null ? null : request.endpointId();
        if (endpointId != null
                && endpoints
                        .find(endpointId)
                        .filter(e -> application.equals(e.applicationId()))
                        .isEmpty()) {
            throw new NoSuchResourceException("no endpoint " + endpointId);
        }
        int redelivered = notifications.redeliverMessage(id, endpointId);
        return ResponseEntity.status(redelivered > 0 ? 202 : 200)
                .body(new Redelivery(redelivered, MessageView.of(message, notifications.deliveries(id))));
    }

    private Message existing(String application, UUID id) {
        return messages.find(application, id).orElseThrow(() -> new NoSuchResourceException("no message " + id));
    }
}
