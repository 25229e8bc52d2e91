package dev.courier.outbox.tracing;

import dev.courier.outbox.TraceparentSource;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.Objects;
import java.util.Optional;

/**
 * The W3C {@code traceparent} of Micrometer Tracing's current span (Brave or OpenTelemetry bridge). Formatted here
 * rather than through the tracer's propagator, whose format depends on the bridge (B3 for Brave by default).
 */
public final class MicrometerTraceparentSource implements TraceparentSource {

    private final Tracer tracer;

    public MicrometerTraceparentSource(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public Optional<String> current() {
        Span span = tracer.currentSpan();
        if (span == null || span.isNoop()) {
            return Optional.empty();
        }
        TraceContext context = span.context();
        String traceId = leftPad(context.traceId(), 32);
        String spanId = leftPad(context.spanId(), 16);
        if (traceId == null || spanId == null) {
            return Optional.empty();
        }
        String flags = Boolean.TRUE.equals(context.sampled()) ? "01" : "00";
        return Optional.of("00-" + traceId + "-" + spanId + "-" + flags);
    }

    /** 64-bit trace ids (Brave's default) are zero-padded to 128 bits, as the W3C spec asks. */
    private static String leftPad(String hex, int length) {
        if (hex == null || hex.isEmpty() || hex.length() > length) {
            return null;
        }
        return "0".repeat(length - hex.length()) + hex;
    }
}
