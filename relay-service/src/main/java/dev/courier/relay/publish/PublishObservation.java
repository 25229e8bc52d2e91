package dev.courier.relay.publish;

import dev.courier.relay.source.OutboxRecord;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Observes each record's publish, continuing the trace its outbox row was written in, as a messaging relay does:
 * an {@code outbox receive} observation takes the writer's trace from the row's headers (the tracer's propagator
 * reads them), and inside it a {@code <topic> publish} observation writes its own context into the record's headers,
 * replacing the writer's, so that consumers continue from the publish. With Spring Boot's tracing both are spans;
 * {@code tracestate} travels on. {@link ObservationRegistry#NOOP} observes nothing and costs next to nothing.
 */
public final class PublishObservation {

    static final String RECEIVE = "courier.relay.receive";
    static final String PUBLISH = "courier.relay.publish";

    private final ObservationRegistry registry;

    public PublishObservation(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** One record's publish: {@link #acknowledged} or {@link #failed} ends it. */
    public interface Publish {
        void acknowledged();

        void failed(Throwable error);
    }

    /** Starts the publish of {@code record} (mapped from {@code row}) and writes its trace into the record's headers. */
    public Publish start(OutboxRecord row, ProducerRecord<byte[], byte[]> record) {
        if (registry.isNoop()) {
            return NOTHING;
        }
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
                publish.stop();
            }

            @Override
            public void failed(Throwable error) {
                publish.error(error);
                publish.stop();
            }
        };
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
