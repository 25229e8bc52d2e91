package dev.courier.notifier.operator;

import dev.courier.notifier.delivery.EndpointDisabled;
import dev.courier.notifier.delivery.EndpointFailing;
import dev.courier.notifier.delivery.NotificationGaveUp;
import dev.courier.notifier.notification.Intake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operator events: what an operator must hear of without watching a dashboard. {@code endpoint.failing} (an endpoint's
 * attempts failed {@code endpoint-failing-after} times in a row), {@code endpoint.disabled} ({@code 410 Gone} or
 * failing for longer than {@code auto-disable-after}) and {@code notification.gave_up}. Each is logged (WARN), counted
 * in {@code courier.notifier.operator.events{type}}, and sent as JSON to the configured Kafka topic and/or operator
 * endpoint.
 *
 * <p>The events are handed to one thread of their own, so that neither the attempt writer nor a delivery waits for
 * them or fails with them. To the operator endpoint an event is a notification (retried, signed, queryable like any
 * other, idempotent by the event id); events about that endpoint itself are not sent to it, so that its own failures
 * cannot feed on themselves. To Kafka an event is sent once, without retry beyond the producer's own: best effort,
 * logged when it fails.
 */
public final class OperatorEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperatorEvents.class);
    static final String SOURCE = "operator";

    private final Intake intake;
    private final UUID operatorEndpoint;
    private final BiConsumer<String, String> kafka;
    private final MeterRegistry registry;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("notifier-operator-events").factory());

    /**
     * @param operatorEndpoint the endpoint that receives the events, or null
     * @param kafka sends (key, JSON) to the operator topic, or null
     */
    public OperatorEvents(
            Intake intake, UUID operatorEndpoint, BiConsumer<String, String> kafka, MeterRegistry registry) {
        this.intake = intake;
        this.operatorEndpoint = operatorEndpoint;
        this.kafka = kafka;
        this.registry = registry;
    }

    @EventListener
    public void on(EndpointFailing event) {
        log.warn(
                "Endpoint {} is failing: {} failed attempts in a row since {}",
                event.endpointId(),
                event.consecutiveFailures(),
                event.failingSince());
        Map<String, Object> fields = fields("endpoint.failing", event.endpointId(), event.applicationId());
        fields.put("consecutiveFailures", event.consecutiveFailures());
        fields.put("failingSince", event.failingSince().toString());
        emit(fields, event.endpointId());
    }

    @EventListener
    public void on(EndpointDisabled event) {
        log.warn("Endpoint {} disabled: {}", event.endpointId(), event.reason());
        Map<String, Object> fields = fields("endpoint.disabled", event.endpointId(), event.applicationId());
        fields.put("reason", event.reason());
        emit(fields, event.endpointId());
    }

    @EventListener
    public void on(NotificationGaveUp event) {
        Map<String, Object> fields = fields("notification.gave_up", event.endpointId(), null);
        fields.put("notificationId", event.notificationId().toString());
        fields.put("attempts", event.attempts());
        fields.put("lastError", event.lastError());
        emit(fields, event.endpointId());
    }

    private static Map<String, Object> fields(String type, UUID endpointId, String applicationId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", UUID.randomUUID().toString());
        fields.put("type", type);
        fields.put("at", Instant.now().toString());
        fields.put("endpointId", endpointId.toString());
        if (applicationId != null) {
            fields.put("applicationId", applicationId);
        }
        return fields;
    }

    private void emit(Map<String, Object> fields, UUID about) {
        String type = (String) fields.get("type");
        Counter.builder("courier.notifier.operator.events")
                .description("Operator events (endpoint failing or disabled, notification given up)")
                .tag("type", type)
                .register(registry)
                .increment();
        String body = json.writeValueAsString(fields);
        sender.execute(() -> send(type, (String) fields.get("id"), body, about));
    }

    private void send(String type, String id, String body, UUID about) {
        if (kafka != null) {
            try {
                kafka.accept(about.toString(), body);
            } catch (RuntimeException e) {
                log.warn("Operator event {} {} not sent to Kafka: {}", type, id, e.toString());
            }
        }
        if (operatorEndpoint != null && !operatorEndpoint.equals(about)) {
            try {
                intake.accept(
                        new Intake.Submission(operatorEndpoint, SOURCE, id, type, body, Map.of(), null, null, null));
            } catch (RuntimeException e) {
                log.warn(
                        "Operator event {} {} not accepted for endpoint {}: {}",
                        type,
                        id,
                        operatorEndpoint,
                        e.toString());
            }
        }
    }

    @Override
    public void close() {
        sender.close();
    }
}
