package dev.courier.outbox.internal;

import dev.courier.outbox.TraceHeaders;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a write is traced: an {@code outbox publish} observation around it, and the trace headers captured inside that
 * observation, so that they name its span.
 *
 * @param headers the current trace's headers
 * @param observations where writes are observed ({@link ObservationRegistry#NOOP} for none)
 * @param table the outbox table, a low-cardinality key of the observation
 */
record OutboxTracing(TraceHeaders headers, ObservationRegistry observations, String table) {

    static final String OBSERVATION = "courier.outbox.publish";

    /** Runs {@code write} of {@code count} messages inside the observation. */
    <T> T observe(int count, Supplier<T> write) {
        return Observation.createNotStarted(OBSERVATION, observations)
                .contextualName("outbox publish")
                .lowCardinalityKeyValue("courier.outbox.table", table)
                .highCardinalityKeyValue("courier.outbox.messages", Integer.toString(count))
                .observe(write);
    }

    /** {@code messageHeaders} with the current trace's headers added; a header set by the caller wins. */
    Map<String, String> withTraceHeaders(Map<String, String> messageHeaders) {
        Map<String, String> trace;
        try {
            trace = headers.current();
        } catch (RuntimeException e) {
            // A tracing failure must not fail a business transaction: the message goes without its trace.
            return messageHeaders;
        }
        if (trace == null || trace.isEmpty()) {
            return messageHeaders;
        }
        Map<String, String> merged = new HashMap<>(trace);
        merged.putAll(messageHeaders);
        return merged;
    }
}
