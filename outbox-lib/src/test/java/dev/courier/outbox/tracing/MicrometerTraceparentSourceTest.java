package dev.courier.outbox.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

class MicrometerTraceparentSourceTest {

    final SimpleTracer tracer = new SimpleTracer();
    final MicrometerTraceparentSource source = new MicrometerTraceparentSource(tracer);

    @Test
    void isEmptyWithoutACurrentSpan() {
        assertThat(source.current()).isEmpty();
    }

    @Test
    void formatsTheCurrentSpanAsW3cTraceparent() {
        Span span = tracer.nextSpan().name("work").start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            String traceparent = source.current().orElseThrow();

            assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
            assertThat(traceparent.substring(3, 35)).endsWith(span.context().traceId());
            assertThat(traceparent.substring(36, 52)).endsWith(span.context().spanId());
        } finally {
            span.end();
        }
    }
}
