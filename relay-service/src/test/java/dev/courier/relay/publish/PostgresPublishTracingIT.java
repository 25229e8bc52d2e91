package dev.courier.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The relay continues the trace an outbox row was written in, through Spring Boot's OpenTelemetry support: an
 * {@code outbox receive} span, child of the writer's span, and a {@code <topic> publish} span, child of it, whose
 * context the Kafka record carries in place of the writer's; the writer's {@code tracestate} travels on.
 */
class PostgresPublishTracingIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String TYPE = "traced";
    static final String TOPIC = "outbox.event." + TYPE;
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String WRITER_SPAN = "00f067aa0ba902b7";

    @Test
    void theRecordCarriesThePublishSpanOfTheWritersTrace() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Map<String, String> settings = new LinkedHashMap<>(RelayInstance.settings(DB.database(), "relay-traced"));
        settings.put("management.tracing.sampling.probability", "1.0");
        List<ApplicationContextInitializer<GenericApplicationContext>> exporter =
                List.of(context -> context.registerBean(SpanExporter.class, () -> spans));
        try (TopicReader reader = new TopicReader(TOPIC);
                RelayInstance relay = RelayInstance.start(settings, exporter)) {
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Outbox.builder(DB.dataSource())
                        .build()
                        .on(c)
                        .publish(new OutboxMessage(
                                TYPE,
                                "o-1",
                                "OrderPlaced",
                                "{}".getBytes(StandardCharsets.UTF_8),
                                Map.of(
                                        "traceparent",
                                        "00-" + TRACE_ID + "-" + WRITER_SPAN + "-01",
                                        "tracestate",
                                        "vendor=abc")));
                c.commit();
            }
            ConsumerRecord<byte[], byte[]> record =
                    reader.awaitAtLeast(1, Duration.ofSeconds(60)).getFirst();

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                            .extracting(SpanData::getName)
                            .contains("outbox receive", TOPIC + " publish"));
            SpanData receive = span(spans, "outbox receive");
            SpanData publish = span(spans, TOPIC + " publish");
            assertThat(receive.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(receive.getParentSpanId()).isEqualTo(WRITER_SPAN);
            assertThat(publish.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(publish.getParentSpanId()).isEqualTo(receive.getSpanId());
            assertThat(header(record, "traceparent")).matches("00-" + TRACE_ID + "-" + publish.getSpanId() + "-0[13]");
            assertThat(header(record, "tracestate")).isEqualTo("vendor=abc");
            assertThat(record.headers().headers("traceparent")).hasSize(1);
        }
    }

    /**
     * By default a message whose row carries no trace context is published without observations (they were a third of
     * the relay's CPU in a drain); {@code courier.relay.tracing.messages=all} starts a trace of its own for it.
     */
    @ParameterizedTest(name = "tracing.messages={0}")
    @ValueSource(strings = {"traced", "all"})
    void anUntracedMessageIsObservedOnlyWhenAllMessagesAre(String messages) throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Map<String, String> settings = new LinkedHashMap<>(RelayInstance.settings(DB.database(), "relay-" + messages));
        settings.put("management.tracing.sampling.probability", "1.0");
        settings.put("courier.relay.tracing.messages", messages);
        String type = "untraced-" + messages;
        List<ApplicationContextInitializer<GenericApplicationContext>> exporter =
                List.of(context -> context.registerBean(SpanExporter.class, () -> spans));
        try (TopicReader reader = new TopicReader("outbox.event." + type);
                RelayInstance relay = RelayInstance.start(settings, exporter)) {
            String untraced;
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Outbox outbox = Outbox.builder(DB.dataSource()).build();
                untraced = outbox.on(c)
                        .publish(new OutboxMessage(
                                type, "o-1", "OrderPlaced", "{}".getBytes(StandardCharsets.UTF_8), Map.of()))
                        .toString();
                // A traced message after it: once its spans are exported, the untraced one's would be too.
                outbox.on(c)
                        .publish(new OutboxMessage(
                                type,
                                "o-1",
                                "OrderPlaced",
                                "{}".getBytes(StandardCharsets.UTF_8),
                                Map.of("traceparent", "00-" + TRACE_ID + "-" + WRITER_SPAN + "-01")));
                c.commit();
            }
            reader.awaitAtLeast(2, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> spans.getFinishedSpanItems().stream()
                            .anyMatch(span -> span.getTraceId().equals(TRACE_ID)
                                    && span.getName().endsWith(" publish")));

            List<SpanData> ofUntraced = spans.getFinishedSpanItems().stream()
                    .filter(span -> !span.getTraceId().equals(TRACE_ID))
                    .toList();
            if (messages.equals("traced")) {
                assertThat(ofUntraced).isEmpty();
            } else {
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(spans.getFinishedSpanItems().stream()
                                        .filter(span -> !span.getTraceId().equals(TRACE_ID))
                                        .map(SpanData::getName))
                                .contains("outbox receive", "outbox.event." + type + " publish"));
                assertThat(spans.getFinishedSpanItems().stream()
                                .filter(span -> !span.getTraceId().equals(TRACE_ID))
                                .filter(span -> span.getName().equals("outbox receive")))
                        .singleElement()
                        .satisfies(receive -> assertThat(
                                        receive.getParentSpanContext().isValid())
                                .as("a trace of its own")
                                .isFalse());
            }
            assertThat(untraced).isNotBlank();
        }
    }

    private static SpanData span(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
