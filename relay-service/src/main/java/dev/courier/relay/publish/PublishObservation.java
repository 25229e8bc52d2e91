package dev.courier.relay.publish;

import dev.courier.relay.RelayProperties.ObservedMessages;
import dev.courier.relay.source.OutboxRecord;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes each record's publish, continuing the trace its outbox row was written in, as a messaging relay does:
 * an {@code outbox receive} observation takes the writer's trace from the row's headers (the tracer's propagator
 * reads them), and inside it a {@code <topic> publish} observation writes its own context into the record's headers,
 * replacing the writer's, so that consumers continue from the publish. With Spring Boot's tracing both are spans;
 * {@code tracestate} travels on. {@link ObservationRegistry#NOOP} observes nothing and costs next to nothing.
 *
 * <p>By default only rows that carry a trace context (one of the propagator's headers) are observed: the two
 * observations were a third of the relay's CPU in a drain of untraced messages, and a message nobody traced gains
 * little from a trace that starts at the relay ({@code courier.relay.tracing.messages=all} starts one).
 */
public final class PublishObservation {

    private static final Logger log = LoggerFactory.getLogger(PublishObservation.class);

    static final String RECEIVE = "courier.relay.receive";
    static final String PUBLISH = "courier.relay.publish";

    private final ObservationRegistry registry;
    private final ObservedMessages observed;
    private final Collection<String> traceHeaders;

    /** Observes every message. */
    public PublishObservation(ObservationRegistry registry) {
        this(registry, ObservedMessages.ALL, List.of());
    }

    /**
     * @param observed which messages are observed
     * @param traceHeaders the headers that carry a trace context (the propagator's fields), for {@code TRACED}
     */
    public PublishObservation(
            ObservationRegistry registry, ObservedMessages observed, Collection<String> traceHeaders) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.observed = Objects.requireNonNull(observed, "observed");
        this.traceHeaders = List.copyOf(traceHeaders);
    }

    /** One record's publish: {@link #acknowledged} or {@link #failed} ends it. */
    public interface Publish {
        void acknowledged();

        void failed(Throwable error);
    }

    /**
     * Starts the publish of {@code record} (mapped from {@code row}) and writes its trace into the record's headers.
     * Never throws, and neither does the returned handle: a failing observation handler costs the record its span,
     * never its publication (every record of a batch must arrive, or its partition stalls).
     */
    public Publish start(OutboxRecord row, ProducerRecord<byte[], byte[]> record) {
        if (registry.isNoop() || observed == ObservedMessages.NONE) {
            return NOTHING;
        }
        if (observed == ObservedMessages.TRACED && !traced(record.headers())) {
            return NOTHING;
        }
        try {
            return observe(row, record);
        } catch (RuntimeException e) {
            log.warn(
                    "Observing the publish of {} failed; it is published without its span: {}", row.id(), e.toString());
            return NOTHING;
        }
    }

    private Publish observe(OutboxRecord row, ProducerRecord<byte[], byte[]> record) {
        ReceiverContext<Headers> written = new ReceiverContext<>(PublishObservation::header);
        written.setCarrier(record.headers());
        written.setRemoteServiceName("outbox");
        Observation receive = Observation.createNotStarted(RECEIVE, () -> written, registry)
                .contextualName("outbox receive")
                .lowCardinalityKeyValue("courier.outbox.aggregate.type", row.aggregateType())
                .start();
        Observation publish;
        try (Observation.Scope scope = receive.openScope()) {
            SenderContext<Headers> sent = new SenderContext<>(PublishObservation::replaceHeader);
            sent.setCarrier(record.headers());
            sent.setRemoteServiceName("kafka");
            publish = Observation.createNotStarted(PUBLISH, () -> sent, registry)
                    .contextualName(record.topic() + " publish")
                    .lowCardinalityKeyValue("messaging.system", "kafka")
                    .lowCardinalityKeyValue("messaging.destination.name", record.topic())
                    .highCardinalityKeyValue("messaging.message.id", row.id())
                    .start();
        } finally {
            receive.stop();
        }
        return new Publish() {
            @Override
            public void acknowledged() {
                quietly(publish::stop);
            }

            @Override
            public void failed(Throwable error) {
                quietly(() -> {
                    publish.error(error);
                    publish.stop();
                });
            }
        };
    }

    private boolean traced(Headers headers) {
        for (String name : traceHeaders) {
            if (headers.lastHeader(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warn("Ending a publish observation failed: {}", e.toString());
        }
    }

    private static final Publish NOTHING = new Publish() {
        @Override
        public void acknowledged() {}

        @Override
        public void failed(Throwable error) {}
    };

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void replaceHeader(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
