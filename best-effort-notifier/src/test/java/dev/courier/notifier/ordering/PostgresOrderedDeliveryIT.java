package dev.courier.notifier.ordering;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Ordered delivery per key: an ordered endpoint receives the deliveries of one ordering key one at a time, in
 * acceptance order, through failed attempts, two notifier instances and one of them SIGKILLed; a failing delivery
 * holds back only its own key; a delivery that gives up releases the next ({@code ordered}) or stops its key until it
 * is redelivered ({@code ordered-stop}).
 */
class PostgresOrderedDeliveryIT {

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.postgres();

    private static Map<String, String> settings(String instance) {
        Map<String, String> settings = new LinkedHashMap<>(NotifierInstance.settings(db.database(), instance));
        settings.put("courier.notifier.max-endpoint-timeout", "2s");
        settings.put("courier.notifier.lease", "4s");
        // Failures on purpose must not open the endpoint's circuit: these tests are about order, not circuits.
        // Resilience4j caps the minimum number of calls at the sliding window's size, so both are raised (in a CI run
        // under load, a run of slow answers opened the circuit with the default window of 20).
        settings.put("courier.notifier.circuit.sliding-window-size", "100000");
        settings.put("courier.notifier.circuit.minimum-calls", "100000");
        return settings;
    }

    private static long count(String sql, Object... params) {
        return JdbcClient.create(db.dataSource())
                .sql(sql)
                .params(params)
                .query(Long.class)
                .single();
    }

    private static String endpoint(NotifierApi api, Receiver receiver, String path, String ordering, String profile) {
        return api.createEndpoint(Map.of(
                        "url",
                        receiver.url(path),
                        "ordering",
                        ordering,
                        "retryProfile",
                        profile,
                        "timeoutMs",
                        2000,
                        "maxConcurrency",
                        50))
                .path("id")
                .asString();
    }

    private static String notify(NotifierApi api, String endpointId, String key, int seq) {
        NotifierApi.Reply reply = api.post(
                "/api/notifications",
                Map.of(
                        "endpointId",
                        endpointId,
                        "eventType",
                        "payment.updated",
                        "orderingKey",
                        key,
                        "payload",
                        Map.of("key", key, "seq", seq)),
                Map.of("Idempotency-Key", key + "/" + seq));
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(202);
        return reply.json().path("id").asString();
    }

    /** The sequence numbers of {@code key} in the order the receiver got them (retries and repeats included). */
    private static List<Integer> arrivals(Receiver receiver, String path, String key) {
        List<Integer> seqs = new ArrayList<>();
        for (Receiver.Request request : receiver.requests(path)) {
            JsonNode body = NotifierApi.JSON.readTree(request.body());
            if (body.path("key").asString().equals(key)) {
                seqs.add(body.path("seq").asInt());
            }
        }
        return seqs;
    }

    @Test
    void eachKeyGoesOneAtATimeInAcceptanceOrderThroughFailuresTwoInstancesAndASigkill() {
        int keys = 40;
        int perKey = 12;
        try (Receiver receiver = Receiver.start();
                NotifierInstance survivor =
                        NotifierInstance.start(db.database(), "ordered-survivor", settings("ordered-survivor"))) {
            Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
            // A fifth of the deliveries fail their first attempt; every answer takes a little, so that requests are in
            // flight when the doomed instance dies.
            receiver.on("/ordered", request -> {
                JsonNode body = NotifierApi.JSON.readTree(request.body());
                String id = body.path("key").asString() + "/" + body.path("seq").asInt();
                int attempt =
                        tries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                boolean failFirst = Math.floorMod(id.hashCode(), 5) == 0;
                return (failFirst && attempt == 1 ? Answer.of(500, "try again") : Answer.ok()).delayed(10);
            });
            String endpointId =
                    endpoint(survivor.api(), receiver, "/ordered", "ordered", "custom:100ms,100ms,100ms,1s");
            try (NotifierProcess doomed = NotifierProcess.start("ordered-doomed", settings("ordered-doomed"))) {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> doomed.api().get("/api/endpoints").status() == 200);
                // Each key's notifications come in a burst, faster than they can be delivered: without ordering,
                // an endpoint sends them in parallel and a failed first attempt is overtaken by the next.
                for (int k = 0; k < keys; k++) {
                    // While both live, half the keys come in through each instance.
                    NotifierApi intake = k % 2 == 0 || !doomed.isAlive() ? survivor.api() : doomed.api();
                    for (int seq = 0; seq < perKey; seq++) {
                        notify(intake, endpointId, "key-" + k, seq);
                    }
                    if (k == keys / 3) {
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> receiver.requests("/ordered").size() >= keys * 2);
                        doomed.kill();
                    }
                }
            }

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> count(
                                    "SELECT count(*) FROM notifier_notification WHERE status = 'DELIVERED'"
                                            + " AND endpoint_id = CAST(? AS uuid)",
                                    endpointId)
                            == (long) keys * perKey);
            for (int k = 0; k < keys; k++) {
                List<Integer> seqs = arrivals(receiver, "/ordered", "key-" + k);
                assertThat(seqs)
                        .as("key-%d as the receiver got it: each in turn, repeats only of the one in flight", k)
                        .isSorted()
                        .containsAll(IntStream.range(0, perKey).boxed().toList());
            }
            assertThat(count(
                            "SELECT count(DISTINCT a.instance) FROM notifier_attempt a JOIN notifier_notification n"
                                    + " ON n.id = a.notification_id WHERE n.endpoint_id = CAST(? AS uuid)",
                            endpointId))
                    .as("both instances delivered")
                    .isEqualTo(2);
            assertThat(tries.values().stream().filter(t -> t.get() > 1).count())
                    .as("deliveries were retried")
                    .isGreaterThan(keys);
        }
    }

    @Test
    void aFailingDeliveryHoldsBackOnlyItsKeyAndGivingUpReleasesTheNext() {
        try (Receiver receiver = Receiver.start();
                NotifierInstance notifier =
                        NotifierInstance.start(db.database(), "ordered-release", settings("ordered-release"))) {
            receiver.on(
                    "/release",
                    request -> NotifierApi.JSON
                                                    .readTree(request.body())
                                                    .path("seq")
                                                    .asInt()
                                            == 0
                                    && request.body().contains("stuck")
                            ? Answer.of(503, "down")
                            : Answer.ok());
            NotifierApi api = notifier.api();
            String endpointId = endpoint(api, receiver, "/release", "ordered", "custom:300ms,300ms,300ms,300ms,300ms");
            List<String> stuck = new ArrayList<>();
            for (int seq = 0; seq < 4; seq++) {
                stuck.add(notify(api, endpointId, "stuck", seq));
                notify(api, endpointId, "free", seq);
            }

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> arrivals(receiver, "/release", "free").size() == 4);
            JsonNode head = api.notification(stuck.get(0));
            JsonNode next = api.notification(stuck.get(1));
            assertThat(head.path("status").asString())
                    .as("the other key was delivered while this key's head was still failing")
                    .isEqualTo("PENDING");
            assertThat(next.path("held").asBoolean()).isTrue();
            assertThat(next.has("nextAttemptAt")).isFalse();
            assertThat(arrivals(receiver, "/release", "free")).containsExactly(0, 1, 2, 3);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.notification(stuck.get(3)).path("status").asString(), "DELIVERED"::equals);
            assertThat(api.notification(stuck.get(0)).path("status").asString()).isEqualTo("GAVE_UP");
            assertThat(arrivals(receiver, "/release", "stuck")).containsExactly(0, 0, 0, 0, 0, 0, 1, 2, 3);
        }
    }

    @Test
    void aGivenUpDeliveryStopsItsKeyUntilItIsRedelivered() {
        try (Receiver receiver = Receiver.start();
                NotifierInstance notifier =
                        NotifierInstance.start(db.database(), "ordered-stop", settings("ordered-stop"))) {
            AtomicBoolean down = new AtomicBoolean(true);
            receiver.on(
                    "/stop",
                    request ->
                            down.get() && request.body().contains("\"seq\":0") ? Answer.of(500, "down") : Answer.ok());
            NotifierApi api = notifier.api();
            String endpointId = endpoint(api, receiver, "/stop", "ordered-stop", "custom:100ms,100ms");
            List<String> stopped = new ArrayList<>();
            for (int seq = 0; seq < 3; seq++) {
                stopped.add(notify(api, endpointId, "stopped", seq));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.notification(stopped.get(0)).path("status").asString(), "GAVE_UP"::equals);

            // Sent after the give-up: delivered, so the loop ran past the stopped key.
            String later = notify(api, endpointId, "other", 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.notification(later).path("status").asString(), "DELIVERED"::equals);
            String afterStop = notify(api, endpointId, "stopped", 3);
            stopped.add(afterStop);
            for (String held : stopped.subList(1, 4)) {
                assertThat(api.notification(held).path("held").asBoolean())
                        .as("held behind the given-up head")
                        .isTrue();
            }
            assertThat(arrivals(receiver, "/stop", "stopped")).containsOnly(0);

            down.set(false);
            assertThat(api.post("/api/notifications/" + stopped.get(0) + "/redeliver", Map.of())
                            .status())
                    .isEqualTo(202);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.notification(afterStop).path("status").asString(), "DELIVERED"::equals);
            assertThat(arrivals(receiver, "/stop", "stopped")).containsExactly(0, 0, 0, 0, 1, 2, 3);
        }
    }

    @Test
    void turningOrderingOffReleasesEveryHeldDelivery() {
        try (Receiver receiver = Receiver.start();
                NotifierInstance notifier =
                        NotifierInstance.start(db.database(), "ordered-off", settings("ordered-off"))) {
            receiver.on("/off", request -> request.body().contains("\"seq\":0") ? Answer.of(500, "down") : Answer.ok());
            NotifierApi api = notifier.api();
            String endpointId = endpoint(api, receiver, "/off", "ordered", "custom:1s,1s,1s,1s,1s,1s,1s,1s,1s,1s");
            List<String> ids = new ArrayList<>();
            for (int seq = 0; seq < 4; seq++) {
                ids.add(notify(api, endpointId, "k", seq));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> arrivals(receiver, "/off", "k").contains(0));
            assertThat(api.notification(ids.get(3)).path("held").asBoolean()).isTrue();

            assertThat(api.patch("/api/endpoints/" + endpointId, Map.of("ordering", "none"))
                            .json()
                            .path("ordering")
                            .asString())
                    .isEqualTo("none");

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ids.subList(1, 4).stream()
                            .allMatch(id -> api.notification(id)
                                    .path("status")
                                    .asString()
                                    .equals("DELIVERED")));
            assertThat(api.notification(ids.get(0)).path("status").asString())
                    .as("the failing head is still retrying")
                    .isEqualTo("PENDING");
        }
    }
}
