package dev.courier.notifier.delivery;

import dev.courier.notifier.NotifierProperties.ObservedDeliveries;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes each webhook request, continuing the trace its notification came with: a {@code notification receive}
 * observation takes the stored {@code traceparent} and {@code tracestate} (the tracer's propagator reads them), and
 * inside it a {@code webhook POST} observation writes its own context into the request's headers, so that the
 * receiver continues from the request. With Spring Boot's tracing both are spans; {@code tracestate} travels on.
 * Without an observation registry ({@link ObservationRegistry#NOOP}) the stored context is forwarded unchanged.
 *
 * <p>By default only the attempts of notifications that came with a trace context are observed: the two observations
 * were a quarter of the delivery threads' CPU in the notifier's benchmark of untraced notifications, as they were a
 * third of the relay's ({@code courier.notifier.tracing.deliveries=all} observes every attempt).
 */
public final class DeliveryObservation {

    private static final Logger log = LoggerFactory.getLogger(DeliveryObservation.class);

    static final String RECEIVE = "courier.notifier.receive";
    static final String DELIVER = "courier.notifier.deliver";

    private final ObservationRegistry registry;
    private final ObservedDeliveries observed;

    /** A request that got no answer (refused, timed out, cut off), for the span's error. */
    private static final class RequestFailure extends RuntimeException {
        RequestFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Observes every attempt. */
    public DeliveryObservation(ObservationRegistry registry) {
        this(registry, ObservedDeliveries.ALL);
    }

    public DeliveryObservation(ObservationRegistry registry, ObservedDeliveries observed) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.observed = Objects.requireNonNull(observed, "observed");
    }

    /** One request: {@link #finished} ends it. */
    public interface Delivery {
        /** Ends the request's observation with the receiver's answer, or the error that kept it from answering. */
        void finished(DeliveryResult result);
    }

    /**
     * Starts the request of {@code claim}, writing its trace context into {@code headers}. Never throws, and neither
     * does the returned handle: a failing observation handler costs the request its span (the stored context is then
     * forwarded unchanged), never its delivery.
     */
    public Delivery start(Claim claim, Map<String, String> headers) {
        try {
            return observe(claim, headers);
        } catch (RuntimeException e) {
            log.warn(
                    "Observing the delivery of {} failed; it is sent without its span: {}",
                    claim.notificationId(),
                    e.toString());
            headers.putAll(stored(claim));
            return result -> {};
        }
    }

    private static Map<String, String> stored(Claim claim) {
        Map<String, String> stored = new HashMap<>();
        if (claim.traceparent() != null) {
            stored.put("traceparent", claim.traceparent());
            if (claim.tracestate() != null) {
                stored.put("tracestate", claim.tracestate());
            }
        }
        return stored;
    }

    private Delivery observe(Claim claim, Map<String, String> headers) {
        Map<String, String> stored = stored(claim);
        if (registry.isNoop()
                || observed == ObservedDeliveries.NONE
                || (observed == ObservedDeliveries.TRACED && stored.isEmpty())) {
            headers.putAll(stored);
            return result -> {};
        }
        ReceiverContext<Map<String, String>> accepted = new ReceiverContext<>(Map::get);
        accepted.setCarrier(stored);
        accepted.setRemoteServiceName("courier-notifier");
        Observation receive = Observation.createNotStarted(RECEIVE, () -> accepted, registry)
                .contextualName("notification receive")
                .highCardinalityKeyValue(
                        "courier.notifier.notification.id",
                        claim.notificationId().toString())
                .start();
        Observation deliver;
        try (Observation.Scope scope = receive.openScope()) {
            SenderContext<Map<String, String>> request = new SenderContext<>(Map::put);
            request.setCarrier(headers);
            request.setRemoteServiceName(claim.endpoint().url().getHost());
            deliver = Observation.createNotStarted(DELIVER, () -> request, registry)
                    .contextualName("webhook POST")
                    .lowCardinalityKeyValue("http.request.method", "POST")
                    .highCardinalityKeyValue(
                            "courier.notifier.endpoint.id",
                            claim.endpoint().id().toString())
                    .highCardinalityKeyValue("courier.notifier.attempt", Integer.toString(claim.attemptsMade() + 1))
                    .start();
        } finally {
            receive.stop();
        }
        return result -> {
            try {
                if (result.statusCode() != null) {
                    deliver.highCardinalityKeyValue(
                            "http.response.status_code", result.statusCode().toString());
                }
                if (result.error() != null) {
                    deliver.error(new RequestFailure(result.error()));
                }
                deliver.stop();
            } catch (RuntimeException e) {
                log.warn("Ending a delivery observation failed: {}", e.toString());
            }
        };
    }
}
