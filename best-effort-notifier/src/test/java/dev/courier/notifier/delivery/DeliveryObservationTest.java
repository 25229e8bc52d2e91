package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.support.TestEndpoints;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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

    private static DeliveryResult answer() {
        return new DeliveryResult(NOW, Duration.ofMillis(5), 200, "", Optional.empty(), null);
    }

    private static Claim claim() {
        Endpoint endpoint = TestEndpoints.withProfile("custom:10s,1m", NOW);
        return new Claim(
                UUID.randomUUID(),
                UUID.randomUUID(),
                endpoint,
                "payment.succeeded",
                "{}",
                Map.of(),
                TRACEPARENT,
                "vendor=abc",
                0,
                0,
                NOW,
                "t",
                null,
                null);
    }
}
