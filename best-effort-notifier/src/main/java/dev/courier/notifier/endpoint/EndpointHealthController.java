package dev.courier.notifier.endpoint;

import dev.courier.notifier.api.NotFoundException;
import dev.courier.notifier.isolation.EndpointGuards;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final EndpointGuards guards;
    private final JdbcClient jdbc;

    EndpointHealthController(EndpointStore endpoints, EndpointGuards guards, JdbcClient jdbc) {
        this.endpoints = endpoints;
        this.guards = guards;
        this.jdbc = jdbc;
    }

    record EndpointHealth(
            UUID endpointId,
            boolean enabled,
            String disabledReason,
            EndpointGuards.EndpointIsolation isolation,
            Map<String, Long> lastHourAttempts,
            long pending) {}

    @GetMapping(path = "/api/endpoints/{id}/health", produces = "application/json")
    EndpointHealth health(@PathVariable UUID id) {
        Endpoint endpoint = endpoints.find(id).orElseThrow(() -> new NotFoundException("no endpoint " + id));
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        jdbc.sql("SELECT a.outcome, count(*) AS n FROM notifier_attempt a JOIN notifier_notification n"
                        + " ON n.id = a.notification_id WHERE n.endpoint_id = ?"
                        + " AND a.started_at > now() - interval '1 hour' GROUP BY a.outcome")
                .param(id)
                .query(rs -> {
                    outcomes.put(rs.getString("outcome"), rs.getLong("n"));
                });
        long pending = jdbc.sql(
                        "SELECT count(*) FROM notifier_notification WHERE endpoint_id = ?" + " AND status = 'PENDING'")
                .param(id)
                .query(Long.class)
                .single();
        return new EndpointHealth(
                id,
                endpoint.enabled(),
                endpoint.disabledReason(),
                guards.isolation(id).orElse(new EndpointGuards.EndpointIsolation("CLOSED", -1, 0, 0)),
                outcomes,
                pending);
    }
}
