package dev.courier.notifier.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.isolation.EndpointGuards;
import dev.courier.notifier.notification.NotificationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/endpoints/{id}/health}: whether the endpoint takes notifications, its circuit on this instance,
 * and the outcomes of its attempts over the last hour.
 */
@RestController
class EndpointHealthController {

    private final EndpointStore endpoints;
    private final NotificationStore notifications;
    private final EndpointGuards guards;

    EndpointHealthController(EndpointStore endpoints, NotificationStore notifications, EndpointGuards guards) {
        this.endpoints = endpoints;
        this.notifications = notifications;
        this.guards = guards;
    }

    record EndpointHealth(
            UUID endpointId,
            boolean enabled,
            String disabledReason,
            EndpointGuards.EndpointIsolation isolation,
            Map<String, Long> lastHourAttempts,
            long pending,
            int consecutiveFailures,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant failingSince) {}

    @GetMapping(path = "/api/endpoints/{id}/health", produces = "application/json")
    EndpointHealth health(@PathVariable UUID id) {
        Endpoint endpoint = endpoints.find(id).orElseThrow(() -> new NoSuchResourceException("no endpoint " + id));
        EndpointStore.FailureRun failures = endpoints.failureRun(id);
        return new EndpointHealth(
                id,
                endpoint.enabled(),
                endpoint.disabledReason(),
                guards.isolation(id).orElse(new EndpointGuards.EndpointIsolation("CLOSED", -1, 0, 0)),
                notifications.attemptOutcomes(id, Instant.now().minus(Duration.ofHours(1))),
                notifications.pending(id),
                failures.consecutiveFailures(),
                failures.failingSince());
    }
}
