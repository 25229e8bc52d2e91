package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StateConflictException;
import dev.courier.notifier.endpoint.EndpointStore;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code /api/notifications}: accept, query, redeliver and cancel. The same reads and changes, for the deliveries to
 * one application's endpoints only, under {@code /api/applications/{application}/deliveries} (where its own token
 * suffices, and a delivery of another application is not found).
 */
@RestController
@RequestMapping(produces = "application/json")
class NotificationController {

    static final String API_SOURCE = "api";
    static final String TEST_SOURCE = "test";
    static final String TEST_EVENT_TYPE = "courier.test";
    private static final String ALL = "/api/notifications";
    private static final String OWNED = "/api/applications/{application}/deliveries";

    private final Intake intake;
    private final NotificationStore store;
    private final EndpointStore endpoints;
    private final JsonMapper json;

    NotificationController(Intake intake, NotificationStore store, EndpointStore endpoints) {
        this.intake = intake;
        this.store = store;
        this.endpoints = endpoints;
        this.json = JsonMapper.builder().build();
    }

    /**
     * Accepts {@code {"endpointId": ..., "eventType": ..., "payload": <any JSON>, "headers": {...}}}: 202 with the new
     * notification, or 200 with the one accepted earlier under the same {@code Idempotency-Key}. The key is
     * required: a caller that retries after a timeout must never create a second notification.
     */
    @PostMapping(path = ALL, consumes = "application/json")
    ResponseEntity<NotificationView> accept(
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "traceparent", required = false) String traceparent,
            @RequestHeader(name = "tracestate", required = false) String tracestate,
            @RequestBody JsonNode request) {
        if (!request.isObject()) {
            throw new InvalidInputException("the body must be a JSON object");
        }
        NotificationStore.Accepted accepted = intake.accept(new Intake.Submission(
                RequestFields.uuid(request.path("endpointId"), "endpointId"),
                API_SOURCE,
                idempotencyKey,
                RequestFields.text(request.path("eventType")),
                request.has("payload") ? json.writeValueAsString(request.get("payload")) : null,
                RequestFields.headers(request.path("headers")),
                traceparent,
                tracestate,
                RequestFields.optionalText(request.path("orderingKey"), "orderingKey")));
        NotificationView view = NotificationView.of(accepted.notification(), null);
        return accepted.created()
                ? ResponseEntity.accepted()
                        .location(URI.create("/api/notifications/" + view.id()))
                        .body(view)
                : ResponseEntity.ok(view);
    }

    /**
     * Sends a test event to one endpoint now: a notification of type {@code courier.test} (or the {@code eventType}
     * asked for) with a small payload, under a fresh idempotency key, whether or not the endpoint subscribes to the
     * type. 202 with the notification, which is then delivered, retried and listed like any other.
     */
    @PostMapping({
        "/api/endpoints/{endpointId}/test-events",
        "/api/applications/{application}/endpoints/{endpointId}/test-events"
    })
    ResponseEntity<NotificationView> test(
            @PathVariable(required = false) String application,
            @PathVariable UUID endpointId,
            @RequestBody(required = false) JsonNode request) {
        if (endpoints
                .find(endpointId)
                .filter(e -> application == null || application.equals(e.applicationId()))
                .isEmpty()) {
            throw new NoSuchResourceException("no endpoint " + endpointId);
        }
        if (request != null && !request.isObject() && !request.isNull()) {
            throw new InvalidInputException("the body must be a JSON object");
        }
        String eventType = request == null || request.path("eventType").isMissingNode()
                ? TEST_EVENT_TYPE
                : RequestFields.text(request.path("eventType"));
        UUID id = UUID.randomUUID();
        String body = json.writeValueAsString(Map.of(
                "type",
                eventType == null ? "" : eventType,
                "test",
                true,
                "testId",
                id.toString(),
                "sentAt",
                Instant.now().toString()));
        NotificationStore.Accepted accepted = intake.accept(new Intake.Submission(
                endpointId, TEST_SOURCE, "test-" + id, eventType, body, Map.of(), null, null, null));
        NotificationView view = NotificationView.of(accepted.notification(), null);
        return ResponseEntity.accepted().body(view);
    }

    @GetMapping({ALL + "/{id}", OWNED + "/{id}"})
    NotificationView get(@PathVariable(required = false) String application, @PathVariable UUID id) {
        Notification notification = existing(application, id);
        return NotificationView.of(notification, store.attempts(id));
    }

    /**
     * Lists notifications newest first. {@code before} (an id from the previous page) pages on; {@code from} and
     * {@code to} bound the acceptance time (ISO-8601 instants).
     */
    @GetMapping({ALL, OWNED})
    List<NotificationView> list(
            @PathVariable(required = false) String application,
            @RequestParam(required = false) UUID endpoint,
            @RequestParam(required = false) UUID message,
            @RequestParam(required = false) String eventType,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) UUID before,
            @RequestParam(defaultValue = "100") int limit) {
        SubmissionChecks.listing(limit, eventType);
        NotificationStore.Query query = new NotificationStore.Query(
                endpoint,
                application,
                message,
                eventType,
                status(status),
                instant(from, "from"),
                instant(to, "to"),
                before,
                limit);
        return store.list(query).stream().map(n -> NotificationView.of(n, null)).toList();
    }

    /** Makes a delivered, given-up or cancelled notification due again, with a fresh round of its profile. */
    @PostMapping({ALL + "/{id}/redeliver", OWNED + "/{id}/redeliver"})
    ResponseEntity<NotificationView> redeliver(
            @PathVariable(required = false) String application, @PathVariable UUID id) {
        existing(application, id);
        boolean changed = store.redeliver(id);
        return ResponseEntity.status(changed ? 202 : 200).body(NotificationView.of(existing(id), null));
    }

    /** Stops a pending notification; 409 when it has already finished. */
    @PostMapping({ALL + "/{id}/cancel", OWNED + "/{id}/cancel"})
    NotificationView cancel(@PathVariable(required = false) String application, @PathVariable UUID id) {
        Notification current = existing(application, id);
        if (!store.cancel(id) && current.status() != NotificationStatus.CANCELLED) {
            throw new StateConflictException.NotificationFinished(
                    "notification " + id + " is " + existing(id).status() + " and cannot be cancelled");
        }
        return NotificationView.of(existing(id), null);
    }

    private Notification existing(UUID id) {
        return existing(null, id);
    }

    /** The notification, when it exists and (under an application) goes to one of its endpoints. */
    private Notification existing(String application, UUID id) {
        return store.find(id)
                .filter(n -> application == null
                        || endpoints
                                .find(n.endpointId())
                                .map(e -> application.equals(e.applicationId()))
                                .orElse(false))
                .orElseThrow(() -> new NoSuchResourceException("no notification " + id));
    }

    static NotificationStatus status(String text) {
        if (text == null) {
            return null;
        }
        try {
            return NotificationStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status: one of PENDING, DELIVERED, GAVE_UP, CANCELLED");
        }
    }

    static Instant instant(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field + ": an ISO-8601 instant like 2026-11-22T10:15:30Z");
        }
    }
}
