package dev.courier.example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The demo's path, headless, on free ports and a database of its own: every order's event and stock reservation,
 * every payment's event and webhook arrive, the receiver verifies each signature, and the retries it provoked show.
 */
class DemoIT {

    @Test
    void theWholePipelineDeliversEverythingOnceAndTheSummarySaysSo() throws Exception {
        DemoSettings settings = DemoSettings.defaults(DemoSettings.findRoot(Path.of("")))
                .onFreePorts("courier_demo_it")
                .with(new DemoSettings.Traffic(12, 4, 3, true));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Summary summary = CourierDemo.run(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

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
        assertThat(summary.delivered()).isEqualTo(9);
        assertThat(summary.gaveUp()).isZero();
        assertThat(summary.receiverVerified()).isEqualTo(9);
        assertThat(summary.receiverRejected()).isZero();
        assertThat(summary.receiverFailedOnPurpose()).isEqualTo(3);
        assertThat(summary.attempts()).isEqualTo(9 + 3);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("written -> published -> consumed   21 -> 21 -> 21")
                .contains("delivered 9 / retrying 0 / given up 0");
    }
}
