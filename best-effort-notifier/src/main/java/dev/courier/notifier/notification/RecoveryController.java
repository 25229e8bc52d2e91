package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.application.ApplicationStore;
import dev.courier.notifier.endpoint.EndpointStore;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * After a receiver's outage, makes due again every notification accepted in a time range that gave up or was
 * cancelled (and, on request, those delivered too): {@code POST /api/recoveries} for one endpoint, {@code POST
 * /api/applications/{application}/recoveries} for one endpoint of the application or all of them.
 */
@RestController
class RecoveryController {

    private final NotificationStore notifications;
    private final EndpointStore endpoints;
    private final ApplicationStore applications;

    RecoveryController(NotificationStore notifications, EndpointStore endpoints, ApplicationStore applications) {
        this.notifications = notifications;
        this.endpoints = endpoints;
        this.applications = applications;
    }

    record RecoveryRequest(UUID endpointId, String from, String to, Boolean includeDelivered) {}

    record Recovery(UUID endpointId, String applicationId, Instant from, Instant to, int redelivered) {}

    @PostMapping(
            path = {"/api/recoveries", "/api/applications/{application}/recoveries"},
            consumes = "application/json",
            produces = "application/json")
    ResponseEntity<Recovery> recover(
            @PathVariable(required = false) String application, @RequestBody RecoveryRequest request) {
        if ((application == null && request.endpointId() == null) || request.from() == null || request.to() == null) {
            throw new InvalidInputException(
                    application == null ? "endpointId, from and to are required" : "from and to are required");
        }
        Instant from = NotificationController.instant(request.from(), "from");
        Instant to = NotificationController.instant(request.to(), "to");
        if (!from.isBefore(to)) {
            throw new InvalidInputException("from: must be before to");
        }
        if (application != null) {
            applications.existing(application);
        }
        if (request.endpointId() != null) {
            endpoints
                    .find(request.endpointId())
                    .filter(e -> application == null || application.equals(e.applicationId()))
                    .orElseThrow(() -> new NoSuchResourceException("no endpoint " + request.endpointId()));
        }
        int count = notifications.recover(
                request.endpointId(), application, from, to, Boolean.TRUE.equals(request.includeDelivered()));
        return ResponseEntity.accepted().body(new Recovery(request.endpointId(), application, from, to, count));
    }
}
