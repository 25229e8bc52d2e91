package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lanes: retries take at most their share of an instance's requests in flight, and first attempts come first in every
 * claim, so fresh notifications go out during a storm of retries without waiting for one of them to end.
 */
class PostgresDeliveryLanesIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "lanes-it",
            Map.of(
                    "courier.notifier.max-in-flight", "8",
                    "courier.notifier.retry-share", "0.5",
                    "courier.notifier.circuit.sliding-window-size", "100000",
                    "courier.notifier.circuit.minimum-calls", "100000"));

    @Test
    void freshNotificationsGoOutDuringARetryStormWhichNeverTakesMoreThanItsShare() {
        // Retries only: a request to a storm endpoint whose webhook-id came before.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Receiver.InFlight stormRetries = notifier.receiver()
                .watch(request -> request.path().startsWith("/storm-") && !seen.add(request.header("webhook-id")));
        List<Integer> stormAtFreshArrival = new CopyOnWriteArrayList<>();
        for (int e = 0; e < 10; e++) {
            String path = "/storm-" + e;
            notifier.receiver()
                    .on(path, request -> Receiver.Answer.of(500, "down").delayed(300));
            String endpoint = notifier.api()
                    .createEndpoint(Map.of(
                            "url",
                            notifier.receiver().url(path),
                            "retryProfile",
                            "custom:" + "100ms,".repeat(40) + "100ms"))
                    .path("id")
                    .asString();
            for (int n = 0; n < 10; n++) {
                notifier.api().notify(endpoint, "storm-" + e + "-" + n, Map.of("n", n));
            }
        }
        notifier.receiver().on("/fresh", request -> {
            stormAtFreshArrival.add(stormRetries.now());
            return Receiver.Answer.ok();
        });
        String fresh = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/fresh")))
                .path("id")
                .asString();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifier.jdbc()
                                .sql("SELECT count(*) FROM notifier_notification WHERE round_attempts > 1")
                                .query(Long.class)
                                .single()
                        >= 20);

        for (int n = 0; n < 10; n++) {
            notifier.api().notify(fresh, "fresh-" + n, Map.of("n", n));
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifier.receiver().requests("/fresh").size() == 10);
        assertThat(stormRetries.most())
                .as("retries in flight never exceed their share of 8")
                .isLessThanOrEqualTo(4);
        assertThat(stormAtFreshArrival.stream()
                        .mapToInt(Integer::intValue)
                        .max()
                        .orElse(0))
                .as("fresh notifications went out while retries were in flight at their share")
                .isEqualTo(4);
        NotifierApi api = notifier.api();
        assertThat(api.get("/api/notifications?endpoint=" + fresh + "&limit=10").json())
                .allSatisfy(n -> assertThat(n.path("attemptCount").asInt()).isEqualTo(1));
        assertThat(notifier.jdbc()
                        .sql("SELECT count(*) FROM notifier_notification WHERE status = 'PENDING'"
                                + " AND idempotency_key LIKE 'storm-%'")
                        .query(Long.class)
                        .single())
                .as("the storm was still going when the fresh ones were delivered")
                .isPositive();
    }
}
