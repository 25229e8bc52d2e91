package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.courier.notifier.NotifierProperties.ObservedDeliveries;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.support.TestEndpoints;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tracing never costs a delivery: without a registry, or with a handler that throws, the stored context goes on. */
class DeliveryObservationTest {

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void withoutARegistryTheStoredContextIsForwardedUnchanged() {
        Map<String, String> headers = new HashMap<>();

        new DeliveryObservation(ObservationRegistry.NOOP)
                .start(claim(), headers)
                .finished(answer());

        assertThat(headers).containsEntry("traceparent", TRACEPARENT).containsEntry("tracestate", "vendor=abc");
    }

    @Test
    void aHandlerThatThrowsCostsTheRequestItsSpanNeverItsDelivery() {
        ObservationRegistry failing = ObservationRegistry.create();
        failing.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                throw new IllegalStateException("a broken tracing handler");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        Map<String, String> headers = new HashMap<>();

        assertThatCode(() ->
                        new DeliveryObservation(failing).start(claim(), headers).finished(answer()))
                .doesNotThrowAnyException();
        assertThat(headers).containsEntry("traceparent", TRACEPARENT).containsEntry("tracestate", "vendor=abc");
    }

    @Test
    void byDefaultOnlyTheAttemptsOfTracedNotificationsAreObserved() {
        List<String> started = new ArrayList<>();
        ObservationRegistry registry = recording(started);
        DeliveryObservation traced = new DeliveryObservation(registry, ObservedDeliveries.TRACED);
        Map<String, String> untracedHeaders = new HashMap<>();

        traced.start(claim(null, null), untracedHeaders).finished(answer());

        assertThat(started).isEmpty();
        assertThat(untracedHeaders).doesNotContainKeys("traceparent", "tracestate");

        traced.start(claim(TRACEPARENT, "vendor=abc"), new HashMap<>()).finished(answer());

        assertThat(started).containsExactly(DeliveryObservation.RECEIVE, DeliveryObservation.DELIVER);
    }

    @Test
    void allObservesEveryAttemptAndNoneNoAttemptButForwardsTheContext() {
        List<String> started = new ArrayList<>();
        ObservationRegistry registry = recording(started);

        new DeliveryObservation(registry, ObservedDeliveries.ALL)
                .start(claim(null, null), new HashMap<>())
                .finished(answer());

        assertThat(started).containsExactly(DeliveryObservation.RECEIVE, DeliveryObservation.DELIVER);

        started.clear();
        Map<String, String> headers = new HashMap<>();
        new DeliveryObservation(registry, ObservedDeliveries.NONE)
                .start(claim(TRACEPARENT, "vendor=abc"), headers)
                .finished(answer());

        assertThat(started).isEmpty();
        assertThat(headers).containsEntry("traceparent", TRACEPARENT).containsEntry("tracestate", "vendor=abc");
    }

    private static ObservationRegistry recording(List<String> started) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                started.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        return registry;
    }

    private static DeliveryResult answer() {
        return new DeliveryResult(NOW, Duration.ofMillis(5), 200, "", Optional.empty(), null);
    }

    private static Claim claim() {
        return claim(TRACEPARENT, "vendor=abc");
    }

    private static Claim claim(String traceparent, String tracestate) {
        Endpoint endpoint = TestEndpoints.withProfile("custom:10s,1m", NOW);
        return new Claim(
                UUID.randomUUID(),
                UUID.randomUUID(),
                endpoint,
                "payment.succeeded",
                "{}",
                Map.of(),
                traceparent,
                tracestate,
                0,
                0,
                NOW,
                "t",
                null,
                null);
    }
}
