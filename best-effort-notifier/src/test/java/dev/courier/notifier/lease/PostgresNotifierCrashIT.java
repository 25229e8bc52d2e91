package dev.courier.notifier.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.NotifierProcess;
import dev.courier.notifier.support.Receiver;
import dev.courier.notifier.support.Receiver.Answer;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Leases: a notifier process SIGKILLed mid-delivery loses nothing (its claims fall due again when the lease runs out
 * and a survivor sends them), and two instances never send the same notification twice while no lease expires.
 */
class PostgresNotifierCrashIT {

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.postgres();

    private static Map<String, String> settings(String instance) {
        Map<String, String> settings = new LinkedHashMap<>(NotifierInstance.settings(db.database(), instance));
        settings.put("courier.notifier.max-endpoint-timeout", "2s");
        settings.put("courier.notifier.lease", "4s");
        settings.put("courier.notifier.max-in-flight", "32");
        return settings;
    }

    private static List<String> submit(NotifierApi api, String endpointId, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.notify(endpointId, prefix + i, Map.of("i", i)));
        }
        return ids;
    }

    private static long count(String sql) {
        return JdbcClient.create(db.dataSource()).sql(sql).query(Long.class).single();
    }

    @Test
    void aNotifierKilledMidDeliveryLosesNothing() {
        try (Receiver receiver = Receiver.start()) {
            receiver.on("/crash", request -> Answer.ok().delayed(300));
            List<String> ids = new ArrayList<>();
            try (NotifierProcess doomed = NotifierProcess.start("doomed", settings("doomed"))) {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> doomed.api().get("/api/endpoints").status() == 200);
                NotifierApi api = doomed.api();
                String endpointId = api.createEndpoint(Map.of(
                                "url",
                                receiver.url("/crash"),
                                "maxConcurrency",
                                16,
                                "timeoutMs",
                                2000,
                                "retryProfile",
                                "custom:200ms"))
                        .path("id")
                        .asString();
                ids.addAll(submit(api, endpointId, "crash-", 300));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.requests("/crash").size() >= 60);

                doomed.kill();
            }
            long inFlightAtKill = count("SELECT count(*) FROM notifier_notification WHERE lease_owner IS NOT NULL"
                    + " AND status = 'PENDING' AND idempotency_key LIKE 'crash-%'");
            int receivedBeforeKill = receiver.requests("/crash").size();
            assertThat(inFlightAtKill)
                    .as("claims left leased by the killed instance")
                    .isPositive();

            try (NotifierInstance survivor = NotifierInstance.start(db.database(), "survivor", settings("survivor"))) {
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> count("SELECT count(*) FROM notifier_notification WHERE status = 'DELIVERED'"
                                        + " AND idempotency_key LIKE 'crash-%'")
                                == ids.size());
            }

            Map<String, Long> receipts = receiver.requests("/crash").stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            assertThat(receipts.keySet())
                    .as("every notification reached the receiver")
                    .containsAll(ids);
            long duplicates = receipts.values().stream().mapToLong(n -> n - 1).sum();
            assertThat(duplicates)
                    .as("sent again only what was in flight when the instance died")
                    .isLessThanOrEqualTo(inFlightAtKill);
            assertThat(receivedBeforeKill).isLessThan(ids.size());
            assertThat(JdbcClient.create(db.dataSource())
                            .sql("SELECT DISTINCT instance FROM notifier_attempt a JOIN notifier_notification n"
                                    + " ON n.id = a.notification_id WHERE n.idempotency_key LIKE 'crash-%'")
                            .query(String.class)
                            .list())
                    .containsExactlyInAnyOrder("doomed", "survivor");
        }
    }

    @Test
    void twoInstancesNeverSendTheSameNotificationTwice() {
        try (Receiver receiver = Receiver.start();
                NotifierInstance first = NotifierInstance.start(db.database(), "first", settings("first"));
                NotifierInstance second = NotifierInstance.start(db.database(), "second", settings("second"))) {
            NotifierApi api = first.api();
            List<String> ids = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                receiver.on("/pair-" + e, request -> Answer.ok().delayed(5));
                String endpointId = api.createEndpoint(Map.of("url", receiver.url("/pair-" + e)))
                        .path("id")
                        .asString();
                ids.addAll(submit(e % 2 == 0 ? first.api() : second.api(), endpointId, "pair-" + e + "-", 60));
            }

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> count("SELECT count(*) FROM notifier_notification WHERE status = 'DELIVERED'"
                                    + " AND idempotency_key LIKE 'pair-%'")
                            == ids.size());

            List<String> received = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                receiver.requests("/pair-" + e).forEach(r -> received.add(r.header("webhook-id")));
            }
            Set<String> distinct = new HashSet<>(received);
            assertThat(received).as("each sent exactly once").hasSize(ids.size());
            assertThat(distinct).containsExactlyInAnyOrderElementsOf(ids);
            Map<String, Long> byInstance = JdbcClient.create(db.dataSource())
                    .sql("SELECT instance, count(*) AS n FROM notifier_attempt a JOIN notifier_notification n"
                            + " ON n.id = a.notification_id WHERE n.idempotency_key LIKE 'pair-%' GROUP BY instance")
                    .query((rs, n) -> Map.entry(rs.getString("instance"), rs.getLong("n")))
                    .list()
                    .stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(byInstance).containsOnlyKeys("first", "second");
            assertThat(byInstance.values()).allMatch(n -> n > 0);
            assertThat(byInstance.values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(ids.size());
        }
    }
}
