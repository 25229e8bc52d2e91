package dev.courier.example.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's path, headless, on free ports and a database of its own: every order's event and stock reservation,
 * every payment's event and webhook arrive, the receiver verifies each signature, and the retries it provoked show.
 * And one trace runs from each payment's outbox write to its webhook request, across three services that export
 * their spans over OTLP to a receiver in this test.
 */
class DemoIT {

    @Test
    void theWholePipelineDeliversEverythingOnceAndTheSummarySaysSo() throws Exception {
        OtlpTraceReceiver otlp = new OtlpTraceReceiver();
        DemoSettings settings = DemoSettings.defaults(DemoSettings.findRoot(Path.of("")))
                .onFreePorts("courier_demo_it")
                .with(new DemoSettings.Traffic(12, 4, 3, true))
                .exportingTracesTo(otlp.url());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Summary summary;
        try (otlp) {
            summary = CourierDemo.run(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
            // Spans are exported in batches, the last ones when the services stop.
            assertThat(summary.receiverTraceparents()).hasSize(9);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> summary.receiverTraceparents()
                            .forEach(traceparent -> assertThat(traceOf(traceparent, otlp.bySpanId()))
                                    .as(traceparent)
                                    .startsWith(
                                            "best-effort-notifier: webhook POST",
                                            "best-effort-notifier: notification receive",
                                            "courier-relay: outbox.event.payment publish",
                                            "courier-relay: outbox receive",
                                            "orders-service: outbox publish")));
        }

        assertThat(summary.settled())
                .as(printed.toString(StandardCharsets.UTF_8))
                .isTrue();
        assertThat(summary.orders()).isEqualTo(12);
        assertThat(summary.payments()).isEqualTo(settings.traffic().payments()).isEqualTo(9);
        assertThat(summary.outboxWritten()).isEqualTo(21);
        assertThat(summary.published()).isEqualTo(21);
        assertThat(summary.consumed()).isEqualTo(21);
        assertThat(summary.outboxLeft()).isZero();
        assertThat(summary.stockReservations()).isEqualTo(12);
        assertThat(summary.messages()).isEqualTo(9);
        assertThat(summary.deliveries())
                .as("each payment fanned out to two endpoints")
                .isEqualTo(18);
        assertThat(summary.delivered()).isEqualTo(18);
        assertThat(summary.gaveUp()).isZero();
        assertThat(summary.receiverVerified()).isEqualTo(9);
        assertThat(summary.receiverRejected()).isZero();
        assertThat(summary.receiverFailedOnPurpose()).isEqualTo(3);
        assertThat(summary.attempts()).isEqualTo(18 + 3);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("written -> published -> consumed   21 -> 21 -> 21")
                .contains("9 messages fanned out to 18 deliveries")
                .contains("delivered 18 / retrying 0 / given up 0")
                .contains("relay console     " + settings.url(settings.ports().relay()) + "/console/")
                .contains("notifier console  " + settings.url(settings.ports().notifier()) + "/console/")
                .contains("/portal/#application=demo-merchant&token=cna_");
    }

    /**
     * The spans from the one a webhook request's {@code traceparent} names up to the trace's root, as "service: name",
     * each checked to be of the request's trace.
     */
    private static List<String> traceOf(String traceparent, Map<String, OtlpTraceReceiver.ReceivedSpan> spans) {
        String traceId = traceparent.substring(3, 35);
        List<String> chain = new ArrayList<>();
        OtlpTraceReceiver.ReceivedSpan span = spans.get(traceparent.substring(36, 52));
        while (span != null && chain.size() < 20) {
            assertThat(span.traceId()).as(span.name()).isEqualTo(traceId);
            chain.add(span.service() + ": " + span.name());
            span = spans.get(span.parentSpanId());
        }
        return chain;
    }
}
