package dev.courier.outbox.tracing;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * OpenTelemetry's SDK behind Micrometer's bridge, as Spring Boot wires it (W3C propagation, a tracing handler on the
 * observation registry), with finished spans kept in memory.
 */
public final class OtelTestTracing {

    public final InMemorySpanExporter spans = InMemorySpanExporter.create();
    public final OtelTracer tracer;
    public final OtelPropagator propagator;
    public final ObservationRegistry observations = ObservationRegistry.create();

    public OtelTestTracing() {
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        io.opentelemetry.api.trace.Tracer otelTracer = otel.getTracer("courier-test");
        tracer = new OtelTracer(otelTracer, new OtelCurrentTraceContext(), event -> {});
        propagator = new OtelPropagator(otel.getPropagators(), otelTracer);
        observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    public List<SpanData> finished() {
        return spans.getFinishedSpanItems();
    }

    public SpanData finished(String name) {
        return finished().stream()
                .filter(span -> span.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finished span " + name + " in " + finished()));
    }
}
