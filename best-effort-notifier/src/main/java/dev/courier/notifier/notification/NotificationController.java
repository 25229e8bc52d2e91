package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StateConflictException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
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

/** {@code /api/notifications}: accept, query, redeliver and cancel. */
@RestController
@RequestMapping(path = "/api/notifications", produces = "application/json")
class NotificationController {

    static final String API_SOURCE = "api";

    private final Intake intake;
    private final NotificationStore store;
    private final JsonMapper json;

    NotificationController(Intake intake, NotificationStore store) {
        this.intake = intake;
        this.store = store;
        this.json = JsonMapper.builder().build();
    }

    /**
     * Accepts {@code {"endpointId": ..., "eventType": ..., "payload": <any JSON>, "headers": {...}}}: 202 with the new
     * notification, or 200 with the one accepted earlier under the same {@code Idempotency-Key}. The key is
     * required: a caller that retries after a timeout must never create a second notification.
     */
    @PostMapping(consumes = "application/json")
    ResponseEntity<NotificationView> accept(
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "traceparent", required = false) String traceparent,
            @RequestHeader(name = "tracestate", required = false) String tracestate,
            @RequestBody JsonNode request) {
        if (!request.isObject()) {
            throw new InvalidInputException("the body must be a JSON object");
        }
        NotificationStore.Accepted accepted = intake.accept(new Intake.Submission(
                uuid(request.path("endpointId"), "endpointId"),
                API_SOURCE,
                idempotencyKey,
                request.path("eventType").isString() ? request.path("eventType").asString() : null,
                request.has("payload") ? json.writeValueAsString(request.get("payload")) : null,
                headers(request.path("headers")),
                traceparent,
                tracestate));
        NotificationView view = NotificationView.of(accepted.notification(), null);
        return accepted.created()
                ? ResponseEntity.accepted()
                        .location(URI.create("/api/notifications/" + view.id()))
                        .body(view)
                : ResponseEntity.ok(view);
    }

    @GetMapping("/{id}")
    NotificationView get(@PathVariable UUID id) {
        Notification notification = existing(id);
        return NotificationView.of(notification, store.attempts(id));
    }

    /**
     * Lists notifications newest first. {@code before} (an id from the previous page) pages on; {@code from} and
     * {@code to} bound the acceptance time (ISO-8601 instants).
     */
    @GetMapping
    List<NotificationView> list(
            @RequestParam(required = false) UUID endpoint,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) UUID before,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        return store.list(endpoint, status(status), instant(from, "from"), instant(to, "to"), before, limit).stream()
                .map(n -> NotificationView.of(n, null))
                .toList();
    }

    /** Makes a delivered, given-up or cancelled notification due again, with a fresh round of its profile. */
    @PostMapping("/{id}/redeliver")
    ResponseEntity<NotificationView> redeliver(@PathVariable UUID id) {
        existing(id);
        boolean changed = store.redeliver(id);
        return ResponseEntity.status(changed ? 202 : 200).body(NotificationView.of(existing(id), null));
    }

    /** Stops a pending notification; 409 when it has already finished. */
    @PostMapping("/{id}/cancel")
    NotificationView cancel(@PathVariable UUID id) {
        Notification current = existing(id);
        if (!store.cancel(id) && current.status() != NotificationStatus.CANCELLED) {
            throw new StateConflictException.NotificationFinished(
                    "notification " + id + " is " + existing(id).status() + " and cannot be cancelled");
        }
        return NotificationView.of(existing(id), null);
    }

    private Notification existing(UUID id) {
        return store.find(id).orElseThrow(() -> new NoSuchResourceException("no notification " + id));
    }

    private static UUID uuid(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidInputException(field + ": must be a UUID string");
        }
        try {
            return UUID.fromString(node.asString());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field + ": not a UUID");
        }
    }

    private static Map<String, String> headers(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidInputException("headers: must be an object of header names to string values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw new InvalidInputException("headers: the value of '" + entry.getKey() + "' must be a string");
            }
            headers.put(entry.getKey(), entry.getValue().asString());
        }
        return headers;
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
