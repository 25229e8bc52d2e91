package dev.courier.outbox;

import java.util.Map;

/**
 * The headers that carry the current trace into a message when it is written, so that the relay's span continues the
 * writer's trace and the trace reaches Kafka consumers and webhook receivers. They are written by the tracing
 * library's propagator: W3C {@code traceparent} and {@code tracestate} with Spring Boot's default propagation,
 * whether the bridge is OpenTelemetry or Brave. A header of the same name set by the caller wins.
 */
@FunctionalInterface
public interface TraceHeaders {

    /** For applications without tracing. */
    TraceHeaders NONE = Map::of;

    /** The headers of the current trace, or an empty map when none is active. Must not throw. */
    Map<String, String> current();
}
