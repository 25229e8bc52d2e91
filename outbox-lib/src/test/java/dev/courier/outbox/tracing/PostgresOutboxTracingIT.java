package dev.courier.outbox.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A write inside a traced request: the outbox's observation makes an {@code outbox publish} span, child of the
 * request's span, and the row carries that span's context as written by the tracer's propagator, the caller's
 * {@code tracestate} kept, so that the relay's span continues the trace from the write.
 */
class PostgresOutboxTracingIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    final OtelTestTracing tracing = new OtelTestTracing();

    @BeforeAll
    static void schema() {
        new OutboxSchema(Database.POSTGRESQL, "traced_outbox", "traced_inbox").migrate(DB.dataSource());
    }

    @Test
    void theRowCarriesTheContextOfThePublishSpanChildOfTheCallersSpan() throws Exception {
        Outbox outbox = Outbox.builder(DB.dataSource())
                .table("traced_outbox")
                .traceHeaders(new MicrometerTraceHeaders(tracing.tracer, tracing.propagator))
                .observationRegistry(tracing.observations)
                .build();
        // The request's span continues a caller's trace that has vendor state.
        Span request = tracing.propagator
                .extract(
                        Map.of(
                                "traceparent",
                                "00-" + TRACE_ID + "-b7ad6b7169203331-01",
                                "tracestate",
                                "vendor=abc,other=1"),
                        Map::get)
                .name("place-order")
                .start();
        try (Tracer.SpanInScope scope = tracing.tracer.withSpan(request);
                Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c)
                    .publish(new OutboxMessage(
                            "order",
                            "o-1",
                            "OrderPlaced",
                            "{}".getBytes(StandardCharsets.UTF_8),
                            Map.of("tenant", "acme")));
            c.commit();
        } finally {
            request.end();
        }

        SpanData publish = tracing.finished("outbox publish");
        SpanData placeOrder = tracing.finished("place-order");
        assertThat(publish.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(publish.getParentSpanId()).isEqualTo(placeOrder.getSpanId());
        assertThat(publish.getAttributes().asMap().toString()).contains("courier.outbox.table=traced_outbox");
        Map<String, String> headers = JsonMapper.builder()
                .build()
                .readValue(
                        JdbcClient.create(DB.dataSource())
                                .sql("SELECT headers FROM traced_outbox WHERE aggregateid = 'o-1'")
                                .query(String.class)
                                .single(),
                        new TypeReference<Map<String, String>>() {});
        assertThat(headers)
                .containsEntry("traceparent", "00-" + TRACE_ID + "-" + publish.getSpanId() + "-01")
                .containsEntry("tracestate", "vendor=abc,other=1")
                .containsEntry("tenant", "acme");
    }

    @Test
    void aWriteWithoutATraceStartsOneAndATraceHeaderTheCallerSetWins() throws Exception {
        Outbox outbox = Outbox.builder(DB.dataSource())
                .table("traced_outbox")
                .traceHeaders(new MicrometerTraceHeaders(tracing.tracer, tracing.propagator))
                .observationRegistry(tracing.observations)
                .build();
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c)
                    .publish(new OutboxMessage(
                            "order", "o-2", "OrderPlaced", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
            c.commit();
        }
        Span request = tracing.tracer.nextSpan().name("own").start();
        try (Tracer.SpanInScope scope = tracing.tracer.withSpan(request);
                Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c)
                    .publish(new OutboxMessage(
                            "order",
                            "o-3",
                            "OrderPlaced",
                            "{}".getBytes(StandardCharsets.UTF_8),
                            Map.of("traceparent", "00-11111111111111111111111111111111-2222222222222222-01")));
            c.commit();
        } finally {
            request.end();
        }

        JdbcClient jdbc = JdbcClient.create(DB.dataSource());
        // Without a trace the publish span is a root: the relay continues the trace it starts.
        SpanData root = tracing.finished().getFirst();
        assertThat(root.getName()).isEqualTo("outbox publish");
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(jdbc.sql("SELECT headers FROM traced_outbox WHERE aggregateid = 'o-2'")
                        .query(String.class)
                        .single())
                .containsPattern("00-" + root.getTraceId() + "-" + root.getSpanId() + "-0[13]");
        assertThat(jdbc.sql("SELECT headers FROM traced_outbox WHERE aggregateid = 'o-3'")
                        .query(String.class)
                        .single())
                .contains("00-11111111111111111111111111111111-2222222222222222-01");
    }
}
