package dev.courier.notifier.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.isolation.EndpointGuards;
import dev.courier.notifier.notification.NotificationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/endpoints/{id}/health}: whether the endpoint takes notifications, its circuit on this instance,
 * and the outcomes of its attempts over the last hour; {@code GET /api/endpoints/health} the same for every endpoint.
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
        return healthOf(List.of(endpoint)).getFirst();
    }

    /**
     * The health of the first {@code limit} endpoints in the order of {@code GET /api/endpoints}: what a console shows
     * for all of them, in three statements rather than three per endpoint.
     */
    @GetMapping(path = "/api/endpoints/health", produces = "application/json")
    List<EndpointHealth> all(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        return healthOf(endpoints.list(limit));
    }

    private List<EndpointHealth> healthOf(List<Endpoint> list) {
        List<UUID> ids = list.stream().map(Endpoint::id).toList();
        Map<UUID, EndpointStore.FailureRun> failures = endpoints.failureRuns(ids);
        Map<UUID, Map<String, Long>> outcomes =
                notifications.attemptOutcomes(ids, Instant.now().minus(Duration.ofHours(1)));
        Map<UUID, Long> pending = notifications.pending(ids);
        return list.stream()
                .map(endpoint -> {
                    UUID id = endpoint.id();
                    EndpointStore.FailureRun run = failures.getOrDefault(id, new EndpointStore.FailureRun(0, null));
                    return new EndpointHealth(
                            id,
                            endpoint.enabled(),
                            endpoint.disabledReason(),
                            guards.isolation(id).orElse(new EndpointGuards.EndpointIsolation("CLOSED", -1, 0, 0)),
                            outcomes.getOrDefault(id, Map.of()),
                            pending.getOrDefault(id, 0L),
                            run.consecutiveFailures(),
                            run.failingSince());
                })
                .toList();
    }
}
