package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims among woken endpoints only never crowd out the claim of all: it comes at least once per poll interval (1 s
 * here) however often accepted work wakes the loop.
 */
class PostgresClaimOfAllIT {

    @RegisterExtension
    static final NotifierExtension notifier =
            NotifierExtension.postgres("claim-of-all-it", Map.of("courier.notifier.poll-interval", "1s"));

    /**
     * Work no wake-up announces (here a row written straight into the table, as another instance's intake or a
     * scheduled retry comes due) is found within a poll interval even while accepted work keeps waking the loop for
     * its own endpoint: claims of the woken endpoints alone must not crowd out the claim of all.
     */
    @Test
    void unannouncedWorkIsFoundWithinAPollIntervalWhileAcceptedWorkKeepsWakingTheLoop() throws Exception {
        String busy = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/busy")))
                .path("id")
                .asString();
        UUID quiet = UUID.fromString(notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/quiet")))
                .path("id")
                .asString());
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = Thread.ofVirtual().start(() -> {
            for (int i = 0; streaming.get(); i++) {
                notifier.api().notify(busy, "busy-" + i, Map.of("n", i));
            }
        });
        try {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !notifier.receiver().requests("/busy").isEmpty());
            long written = System.nanoTime();
            notifier.jdbc()
                    .sql("INSERT INTO notifier_notification (id, endpoint_id, source, idempotency_key, event_type,"
                            + " body, status, next_attempt_at) VALUES (gen_random_uuid(), ?, 'test', 'quiet-1',"
                            + " 'test.event', '{}', 'PENDING', now())")
                    .param(quiet)
                    .update();

            // The poll interval is 1 s; the stream goes on for up to 20 s.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !notifier.receiver().requests("/quiet").isEmpty());
            double seconds = (System.nanoTime() - written) / 1e9;
            assertThat(stream.isAlive())
                    .as("the stream still ran when the quiet endpoint was served")
                    .isTrue();
            assertThat(seconds)
                    .as("seconds until the unannounced notification was sent")
                    .isLessThan(4);
        } finally {
            streaming.set(false);
            stream.join();
        }
    }
}
