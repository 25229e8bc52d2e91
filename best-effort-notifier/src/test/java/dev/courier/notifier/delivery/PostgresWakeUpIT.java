package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver.Answer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the delivery loop claims: at once for accepted work and for capacity a claim had to do without, never merely
 * because a delivery ended. The poll interval is 10 s here, so anything left to the poll would show as a stall.
 */
class PostgresWakeUpIT {

    @RegisterExtension
    static final NotifierExtension notifier =
            NotifierExtension.postgres("wake-up-it", Map.of("courier.notifier.poll-interval", "10s"));

    @Test
    void aSteadyLoadIsClaimedOncePerNotification() {
        String endpoint = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/steady")))
                .path("id")
                .asString();
        int notifications = 30;
        double claimsBefore = claims();

        for (int i = 0; i < notifications; i++) {
            notifier.api().notify(endpoint, "steady-" + i, Map.of("n", i));
            int delivered = i + 1;
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> notifier.receiver().requests("/steady").size() == delivered);
        }

        // One claim per accepted notification (a claim racing an insert may add one); waking the loop on every
        // delivery's end as well made it two.
        assertThat(claims() - claimsBefore).isLessThan(notifications * 1.5);
    }

    @Test
    void anEndpointAtItsMaxConcurrencyIsClaimedAgainAsSoonAsASlotFrees() {
        notifier.receiver().on("/one-at-a-time", request -> Answer.ok().delayed(20));
        String endpoint = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/one-at-a-time"), "maxConcurrency", 1))
                .path("id")
                .asString();
        int notifications = 20;
        for (int i = 0; i < notifications; i++) {
            notifier.api().notify(endpoint, "one-at-a-time-" + i, Map.of("n", i));
        }

        // Each claim can take one of them only; left to the 10 s poll, the last would arrive minutes later.
        await().atMost(Duration.ofSeconds(8))
                .until(() -> notifier.receiver().requests("/one-at-a-time").size() == notifications);
        assertThat(notifier.receiver().requests("/one-at-a-time")).hasSize(notifications);
    }

    /**
     * Notifications accepted one after another, within a poll interval, are claimed among their endpoint only: a
     * claim of all probes every enabled endpoint, here 200 idle ones besides.
     */
    @Test
    void acceptedWorkIsClaimedAmongItsEndpointOnly() {
        for (int i = 0; i < 200; i++) {
            notifier.api().createEndpoint(Map.of("url", notifier.receiver().url("/idle")));
        }
        String endpoint = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/woken")))
                .path("id")
                .asString();
        int notifications = 10;
        double ofWokenBefore = claims("woken");

        for (int i = 0; i < notifications; i++) {
            notifier.api().notify(endpoint, "woken-" + i, Map.of("n", i));
            int delivered = i + 1;
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> notifier.receiver().requests("/woken").size() == delivered);
        }

        // The poll interval is 10 s: a claim of all comes at most once or twice within the test.
        assertThat(claims("woken") - ofWokenBefore)
                .as("claims among the woken endpoint only")
                .isGreaterThanOrEqualTo(notifications / 2);
    }

    private static double claims() {
        return claims("all") + claims("woken");
    }

    private static double claims(String scope) {
        return notifier.bean(MeterRegistry.class)
                .get("courier.notifier.claims")
                .tag("scope", scope)
                .timer()
                .count();
    }
}
