package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.endpoint.EndpointStore;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/recoveries}: after a receiver's outage, makes due again every notification of the endpoint accepted
 * in a time range that gave up or was cancelled (and, on request, those delivered too).
 */
@RestController
class RecoveryController {

    private final NotificationStore notifications;
    private final EndpointStore endpoints;

    RecoveryController(NotificationStore notifications, EndpointStore endpoints) {
        this.notifications = notifications;
        this.endpoints = endpoints;
    }

    record RecoveryRequest(UUID endpointId, String from, String to, Boolean includeDelivered) {}

    record Recovery(UUID endpointId, Instant from, Instant to, int redelivered) {}

    @PostMapping(path = "/api/recoveries", consumes = "application/json", produces = "application/json")
    ResponseEntity<Recovery> recover(@RequestBody RecoveryRequest request) {
        if (request.endpointId() == null || request.from() == null || request.to() == null) {
            throw new InvalidInputException("endpointId, from and to are required");
        }
        Instant from = NotificationController.instant(request.from(), "from");
        Instant to = NotificationController.instant(request.to(), "to");
        if (!from.isBefore(to)) {
            throw new InvalidInputException("from: must be before to");
        }
        endpoints
                .find(request.endpointId())
                .orElseThrow(() -> new NoSuchResourceException("no endpoint " + request.endpointId()));
        int count =
                notifications.recover(request.endpointId(), from, to, Boolean.TRUE.equals(request.includeDelivered()));
        return ResponseEntity.accepted().body(new Recovery(request.endpointId(), from, to, count));
    }
}
