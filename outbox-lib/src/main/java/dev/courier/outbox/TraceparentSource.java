package dev.courier.outbox;

import java.util.Optional;

/**
 * Supplies the W3C {@code traceparent} of the current trace when a message is written, so the trace continues in
 * Kafka and webhook headers. A header named {@code traceparent} set by the caller wins over this source.
 *
 * @deprecated since 0.2, for removal in 0.3: use {@link TraceHeaders}, which keeps {@code tracestate} too and is
 *     written by the tracing library's propagator
 */
@Deprecated(since = "0.2", forRemoval = true)
@FunctionalInterface
public interface TraceparentSource {

    /** A source for applications without tracing. */
    TraceparentSource NONE = Optional::empty;

    /**
     * The current {@code traceparent} ({@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}), or empty when
     * no trace is active. Must not throw.
     */
    Optional<String> current();
}
