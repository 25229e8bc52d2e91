package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.Receiver;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The webhook request continues the trace its notification came with, through Spring Boot's OpenTelemetry support: a
 * {@code notification receive} span, child of the caller's span, and a {@code webhook POST} span, child of it, whose
 * context the request carries; the caller's {@code tracestate} travels on. A notification that came without a trace
 * context is delivered without spans (the default, {@code courier.notifier.tracing.deliveries=traced}).
 */
class PostgresDeliveryTracingIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void theWebhookRequestCarriesTheDeliverySpanOfTheCallersTrace() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        List<ApplicationContextInitializer<GenericApplicationContext>> exporter =
                List.of(context -> context.registerBean(SpanExporter.class, () -> spans));
        try (Receiver receiver = Receiver.start();
                NotifierInstance notifier = NotifierInstance.start(
                        DB.database(),
                        "delivery-tracing-it",
                        Map.of("management.tracing.sampling.probability", "1.0"),
                        exporter)) {
            String endpoint = notifier.api()
                    .createEndpoint(Map.of("url", receiver.url("/traced")))
                    .path("id")
                    .asString();
            String untracedEndpoint = notifier.api()
                    .createEndpoint(Map.of("url", receiver.url("/untraced")))
                    .path("id")
                    .asString();
            assertThat(notifier.api()
                            .post(
                                    "/api/notifications",
                                    Map.of(
                                            "endpointId",
                                            untracedEndpoint,
                                            "eventType",
                                            "payment.succeeded",
                                            "payload",
                                            Map.of("paid", true)),
                                    Map.of("Idempotency-Key", "untraced-1"))
                            .status())
                    .isEqualTo(202);
            assertThat(notifier.api()
                            .post(
                                    "/api/notifications",
                                    Map.of(
                                            "endpointId",
                                            endpoint,
                                            "eventType",
                                            "payment.succeeded",
                                            "payload",
                                            Map.of("paid", true)),
                                    Map.of(
                                            "Idempotency-Key", "traced-1",
                                            "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01",
                                            "tracestate", "vendor=abc"))
                            .status())
                    .isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(receiver.requests("/untraced")).hasSize(1);
                assertThat(receiver.requests("/traced")).hasSize(1);
                assertThat(spans.getFinishedSpanItems())
                        .extracting(SpanData::getName)
                        .contains("notification receive", "webhook POST");
            });
            SpanData receive = span(spans, "notification receive");
            SpanData deliver = span(spans, "webhook POST");
            assertThat(receive.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(receive.getParentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(deliver.getParentSpanId()).isEqualTo(receive.getSpanId());
            Receiver.Request request = receiver.requests("/traced").getFirst();
            assertThat(request.header("traceparent")).matches("00-" + TRACE_ID + "-" + deliver.getSpanId() + "-0[13]");
            assertThat(request.header("tracestate")).isEqualTo("vendor=abc");
            assertThat(spans.getFinishedSpanItems())
                    .extracting(SpanData::getName)
                    .filteredOn(name -> name.equals("notification receive") || name.equals("webhook POST"))
                    .as("only the traced notification's attempt is observed")
                    .hasSize(2);
            assertThat(receiver.requests("/untraced").getFirst().header("traceparent"))
                    .isNull();
        }
    }

    private static SpanData span(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
