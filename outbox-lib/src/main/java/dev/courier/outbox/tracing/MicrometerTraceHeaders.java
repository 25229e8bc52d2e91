package dev.courier.outbox.tracing;

import dev.courier.outbox.TraceHeaders;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The current span of Micrometer Tracing (OpenTelemetry or Brave bridge) as message headers, written by the tracer's
 * own {@link Propagator}: W3C {@code traceparent} and {@code tracestate} (and baggage, when configured) with Spring
 * Boot's default propagation type.
 */
public final class MicrometerTraceHeaders implements TraceHeaders {

    private final Tracer tracer;
    private final Propagator propagator;

    public MicrometerTraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.propagator = Objects.requireNonNull(propagator, "propagator");
    }

    @Override
    public Map<String, String> current() {
        Span span = tracer.currentSpan();
        if (span == null || span.isNoop()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        propagator.inject(span.context(), headers, Map::put);
        return headers;
    }
}
