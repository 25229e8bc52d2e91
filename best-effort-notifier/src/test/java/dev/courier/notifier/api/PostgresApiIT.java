package dev.courier.notifier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.Receiver.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The REST API: token, validation, query, redeliver, cancel, recover, the pull feed, health and metrics. */
class PostgresApiIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "api-it", Map.of("courier.notifier.feed-settle", "200ms", "courier.notifier.max-body-size", "4KB"));

    private static long rows(String table) {
        return notifier.jdbc()
                .sql("SELECT count(*) FROM " + table)
                .query(Long.class)
                .single();
    }

    private static String endpoint(String path, Object... fields) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("url", notifier.receiver().url(path));
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        return notifier.api().createEndpoint(request).path("id").asString();
    }

    private static JsonNode awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.api().notification(id).path("status").asString(), status::equals);
        return notifier.api().notification(id);
    }

    @Test
    void credentialHeadersAreWriteOnlyButSentWithEveryDelivery() {
        JsonNode created = notifier.api()
                .createEndpoint(Map.of(
                        "url",
                        notifier.receiver().url("/credentials"),
                        "headers",
                        Map.of(
                                "Authorization",
                                "Basic bWVyY2hhbnQ6czNjcjN0",
                                "X-Api-Key",
                                "k-123",
                                "X-Merchant",
                                "m-1")));
        String id = created.path("id").asString();

        for (JsonNode shown : List.of(
                created,
                notifier.api().get("/api/endpoints/" + id).json(),
                notifier.api().get("/api/endpoints?limit=1000").json())) {
            assertThat(shown.toString()).doesNotContain("bWVyY2hhbnQ6czNjcjN0", "k-123");
        }
        JsonNode read = notifier.api().get("/api/endpoints/" + id).json();
        assertThat(read.path("headers").path("X-Merchant").asString()).isEqualTo("m-1");
        assertThat(read.path("headers").has("Authorization")).isFalse();
        assertThat(read.path("writeOnlyHeaders").toString()).isEqualTo("[\"Authorization\",\"X-Api-Key\"]");

        awaitStatus(notifier.api().notify(id, "credentials-1", Map.of("n", 1)), "DELIVERED");
        assertThat(notifier.receiver().requests("/credentials").getFirst().header("Authorization"))
                .isEqualTo("Basic bWVyY2hhbnQ6czNjcjN0");
        assertThat(notifier.receiver().requests("/credentials").getFirst().header("X-Api-Key"))
                .isEqualTo("k-123");
    }

    @Test
    void everyApiCallNeedsTheBearerToken() {
        for (NotifierApi caller :
                List.of(notifier.api().withToken(null), notifier.api().withToken("wrong-token-0123456789"))) {
            Reply reply = caller.get("/api/endpoints");
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.raw().headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(caller.post("/api/endpoints", Map.of("url", "https://merchant.example/hook"))
                            .status())
                    .isEqualTo(401);
        }
        assertThat(rows("notifier_endpoint WHERE url = 'https://merchant.example/hook'"))
                .isZero();
    }

    @Test
    void malformedEndpointsAreRefusedWithEveryProblemNamedAndNothingStored() {
        long before = rows("notifier_endpoint");

        Reply reply = notifier.api()
                .post(
                        "/api/endpoints",
                        Map.of(
                                "url", "ftp://merchant.example/hook",
                                "retryProfile", "hourly",
                                "ackMatcher", "ok",
                                "timeoutMs", 999_999,
                                "maxConcurrency", 0,
                                "headers", Map.of("webhook-signature", "forged"),
                                "secret", "plain-text-secret"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().path("errors").valueStream().map(JsonNode::asString))
                .hasSize(7)
                .anySatisfy(e -> assertThat(e).startsWith("url:"))
                .anySatisfy(e -> assertThat(e).startsWith("retryProfile:"))
                .anySatisfy(e -> assertThat(e).startsWith("ackMatcher:"))
                .anySatisfy(e -> assertThat(e).startsWith("timeoutMs:"))
                .anySatisfy(e -> assertThat(e).startsWith("maxConcurrency:"))
                .anySatisfy(e -> assertThat(e).contains("webhook-signature"))
                .anySatisfy(e -> assertThat(e).startsWith("secret:"));
        assertThat(reply.raw().body()).doesNotContain("plain-text-secret");
        assertThat(notifier.api().post("/api/endpoints", "{\"url\": ").status()).isEqualTo(400);
        assertThat(notifier.api()
                        .post("/api/endpoints", Map.of("description", "no url"))
                        .json()
                        .path("errors")
                        .toString())
                .contains("url: required");
        assertThat(rows("notifier_endpoint")).isEqualTo(before);
    }

    @Test
    void malformedNotificationsAreRefusedAndNothingIsStored() throws Exception {
        String endpointId = endpoint("/malformed");
        long before = rows("notifier_notification");

        Reply noType = notifier.api().post("/api/notifications", Map.of("endpointId", endpointId, "payload", Map.of()));
        Reply badType = notifier.api()
                .post("/api/notifications", Map.of("endpointId", endpointId, "eventType", "a b", "payload", Map.of()));
        Reply noPayload = notifier.api().post("/api/notifications", Map.of("endpointId", endpointId, "eventType", "x"));
        Reply badEndpoint =
                notifier.api().post("/api/notifications", Map.of("endpointId", "nope", "eventType", "x", "payload", 1));
        Reply unknownEndpoint = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of("endpointId", "0193a1b2-0000-7000-8000-000000000000", "eventType", "x", "payload", 1),
                        Map.of("Idempotency-Key", "unknown-endpoint-1"));
        Reply noKey = notifier.api()
                .post("/api/notifications", Map.of("endpointId", endpointId, "eventType", "x", "payload", 1));
        Reply objectEndpointId = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of("endpointId", Map.of("id", endpointId), "eventType", "x", "payload", 1),
                        Map.of("Idempotency-Key", "object-endpoint-1"));
        Reply reservedHeader = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of(
                                "endpointId",
                                endpointId,
                                "eventType",
                                "x",
                                "payload",
                                1,
                                "headers",
                                Map.of("Host", "evil")));
        Reply tooLarge = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of("endpointId", endpointId, "eventType", "x", "payload", "x".repeat(5000)));
        Reply notJson = notifier.api().post("/api/notifications", "not json");
        Reply array = notifier.api().post("/api/notifications", List.of(1, 2));
        HttpResponse<String> wrongType = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.port() + "/api/notifications"))
                                .header("Authorization", "Bearer " + NotifierInstance.TOKEN)
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(
                        noType,
                        badType,
                        noPayload,
                        badEndpoint,
                        reservedHeader,
                        tooLarge,
                        notJson,
                        array,
                        noKey,
                        objectEndpointId))
                .allSatisfy(reply -> {
                    assertThat(reply.status()).isEqualTo(400);
                    assertThat(reply.contentType()).startsWith("application/problem+json");
                    assertThat(reply.json().path("detail").asString()).isNotBlank();
                });
        assertThat(noType.json().path("detail").asString()).contains("eventType");
        assertThat(noKey.json().path("detail").asString()).contains("Idempotency-Key: required");
        assertThat(objectEndpointId.json().path("detail").asString()).contains("endpointId: must be a UUID string");
        assertThat(tooLarge.json().path("detail").asString()).contains("payload: larger than 4096 bytes");
        assertThat(unknownEndpoint.status()).isEqualTo(404);
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(rows("notifier_notification")).isEqualTo(before);
    }

    @Test
    void aBodyPastTheRequestLimitIsRefusedBeforeItIsRead() {
        Reply reply = notifier.api().post("/api/notifications", "{\"payload\":\"" + "x".repeat(200_000) + "\"}");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void listsNotificationsFilteredByEndpointStatusAndTimeNewestFirstInPages() {
        notifier.receiver().on("/listed-down", r -> Answer.of(500, ""));
        String up = endpoint("/listed-up");
        String down = endpoint("/listed-down", "retryProfile", "custom:100ms");
        Instant start = Instant.now().minusSeconds(1);
        String first = notifier.api().notify(up, "list-1", Map.of("n", 1));
        String second = notifier.api().notify(up, "list-2", Map.of("n", 2));
        String failed = notifier.api().notify(down, "list-3", Map.of("n", 3));
        awaitStatus(second, "DELIVERED");
        awaitStatus(failed, "GAVE_UP");

        JsonNode ofUp = notifier.api().get("/api/notifications?endpoint=" + up).json();
        JsonNode gaveUp = notifier.api()
                .get("/api/notifications?status=gave_up&from=" + start)
                .json();
        JsonNode page1 = notifier.api()
                .get("/api/notifications?endpoint=" + up + "&limit=1")
                .json();
        JsonNode page2 = notifier.api()
                .get("/api/notifications?endpoint=" + up + "&limit=1&before="
                        + page1.get(0).path("id").asString())
                .json();

        assertThat(ofUp.valueStream().map(n -> n.path("id").asString())).containsExactly(second, first);
        assertThat(gaveUp.valueStream().map(n -> n.path("id").asString()))
                .contains(failed)
                .doesNotContain(first);
        assertThat(page1.get(0).path("id").asString()).isEqualTo(second);
        assertThat(page2.get(0).path("id").asString()).isEqualTo(first);
        assertThat(ofUp.get(0).has("attempts")).isFalse();
        assertThat(notifier.api().get("/api/notifications?status=LOST").status())
                .isEqualTo(400);
        assertThat(notifier.api().get("/api/notifications?from=yesterday").status())
                .isEqualTo(400);
        assertThat(notifier.api()
                        .get("/api/notifications/0193a1b2-0000-7000-8000-000000000000")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aGivenUpNotificationIsRedeliveredWithAFreshRound() {
        AtomicBoolean healthy = new AtomicBoolean(false);
        notifier.receiver().on("/redeliver", r -> healthy.get() ? Answer.ok() : Answer.of(503, ""));
        String endpointId = endpoint("/redeliver", "retryProfile", "custom:100ms");
        String id = notifier.api().notify(endpointId, "redeliver-1", Map.of("n", 1));
        awaitStatus(id, "GAVE_UP");

        healthy.set(true);
        Reply redelivered = notifier.api().post("/api/notifications/" + id + "/redeliver", Map.of());

        assertThat(redelivered.status()).isEqualTo(202);
        JsonNode delivered = awaitStatus(id, "DELIVERED");
        assertThat(delivered.path("attemptCount").asInt()).isEqualTo(3);
        assertThat(delivered
                        .path("attempts")
                        .valueStream()
                        .map(a -> a.path("number").asInt()))
                .containsExactly(1, 2, 3);
        assertThat(notifier.api()
                        .post("/api/notifications/" + id + "/redeliver", Map.of())
                        .status())
                .as("a delivered one can be sent again on request")
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> notifier.receiver().requests("/redeliver").size() == 4);
    }

    @Test
    void aPendingNotificationIsCancelledAndAFinishedOneIsNot() {
        notifier.receiver().on("/cancel", r -> Answer.of(500, ""));
        String endpointId = endpoint("/cancel", "retryProfile", "custom:1h");
        String pending = notifier.api().notify(endpointId, "cancel-1", Map.of("n", 1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> notifier.api()
                                .notification(pending)
                                .path("attemptCount")
                                .asInt()
                        == 1);

        Reply cancelled = notifier.api().post("/api/notifications/" + pending + "/cancel", Map.of());

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asString()).isEqualTo("CANCELLED");
        assertThat(notifier.api()
                        .post("/api/notifications/" + pending + "/cancel", Map.of())
                        .status())
                .isEqualTo(200);
        String delivered = notifier.api().notify(endpoint("/cancel-ok"), "cancel-2", Map.of("n", 2));
        awaitStatus(delivered, "DELIVERED");
        Reply tooLate = notifier.api().post("/api/notifications/" + delivered + "/cancel", Map.of());
        assertThat(tooLate.status()).isEqualTo(409);
        assertThat(tooLate.json().path("detail").asString()).contains("DELIVERED");
    }

    @Test
    void aRecoveryRedeliversWhatAnEndpointMissedInATimeRange() {
        AtomicBoolean healthy = new AtomicBoolean(false);
        notifier.receiver().on("/recover", r -> healthy.get() ? Answer.ok() : Answer.of(502, ""));
        String endpointId = endpoint("/recover", "retryProfile", "custom:100ms");
        Instant from = Instant.now().minusSeconds(1);
        List<String> ids = List.of(
                notifier.api().notify(endpointId, "recover-1", Map.of("n", 1)),
                notifier.api().notify(endpointId, "recover-2", Map.of("n", 2)),
                notifier.api().notify(endpointId, "recover-3", Map.of("n", 3)));
        ids.forEach(id -> awaitStatus(id, "GAVE_UP"));
        healthy.set(true);

        Reply recovery = notifier.api()
                .post(
                        "/api/recoveries",
                        Map.of(
                                "endpointId",
                                endpointId,
                                "from",
                                from.toString(),
                                "to",
                                Instant.now().toString()));

        assertThat(recovery.status()).isEqualTo(202);
        assertThat(recovery.json().path("redelivered").asInt()).isEqualTo(3);
        ids.forEach(id -> awaitStatus(id, "DELIVERED"));
        assertThat(notifier.api()
                        .post(
                                "/api/recoveries",
                                Map.of(
                                        "endpointId",
                                        endpointId,
                                        "from",
                                        Instant.now().toString(),
                                        "to",
                                        from.toString()))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void thePullFeedPagesThroughAnEndpointsNotificationsByCursor() {
        String endpointId = endpoint("/feed");
        List<String> ids = List.of(
                notifier.api().notify(endpointId, "feed-1", Map.of("n", 1)),
                notifier.api().notify(endpointId, "feed-2", Map.of("n", 2)),
                notifier.api().notify(endpointId, "feed-3", Map.of("n", 3)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> notifier.api()
                                .get("/api/endpoints/" + endpointId + "/events?limit=10")
                                .json()
                                .path("events")
                                .size()
                        == 3);
        JsonNode first = notifier.api()
                .get("/api/endpoints/" + endpointId + "/events?limit=2")
                .json();
        JsonNode second = notifier.api()
                .get("/api/endpoints/" + endpointId + "/events?limit=2&after="
                        + first.path("next").asLong())
                .json();
        JsonNode empty = notifier.api()
                .get("/api/endpoints/" + endpointId + "/events?after="
                        + second.path("next").asLong())
                .json();

        assertThat(first.path("events").valueStream().map(e -> e.path("id").asString()))
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(first.path("more").asBoolean()).isTrue();
        assertThat(first.path("events").get(0).path("payload").path("n").asInt())
                .isEqualTo(1);
        assertThat(second.path("events").valueStream().map(e -> e.path("id").asString()))
                .containsExactly(ids.get(2));
        assertThat(second.path("more").asBoolean()).isFalse();
        assertThat(empty.path("events").size()).isZero();
        assertThat(empty.path("next").asLong()).isEqualTo(second.path("next").asLong());
    }

    @Test
    void endpointsAreReadChangedAndReportTheirHealth() {
        notifier.receiver().on("/health-failing", r -> Answer.of(500, ""));
        String endpointId = endpoint("/health-failing", "retryProfile", "custom:100ms", "description", "shop 1");
        String id = notifier.api().notify(endpointId, "health-1", Map.of("n", 1));
        awaitStatus(id, "GAVE_UP");

        JsonNode health =
                notifier.api().get("/api/endpoints/" + endpointId + "/health").json();
        // The health of every endpoint at once says the same of each.
        String pendingEndpoint = endpoint("/health-pending", "description", "shop 2", "enabled", true);
        JsonNode all = notifier.api().get("/api/endpoints/health?limit=1000").json();
        JsonNode listed = null;
        for (JsonNode one : all) {
            if (one.path("endpointId").asString().equals(endpointId)) {
                listed = one;
            }
        }
        assertThat(listed).isEqualTo(health);
        assertThat(all.toString()).contains(pendingEndpoint);
        assertThat(notifier.api().get("/api/endpoints/health?limit=0").status()).isEqualTo(400);
        Reply patched =
                notifier.api().patch("/api/endpoints/" + endpointId, Map.of("enabled", false, "ratePerSecond", 5));
        Reply invalidPatch = notifier.api().patch("/api/endpoints/" + endpointId, Map.of("ratePerSecond", -1));

        assertThat(health.path("enabled").asBoolean()).isTrue();
        assertThat(health.path("lastHourAttempts").path("REJECTED").asInt()).isEqualTo(2);
        assertThat(health.path("isolation").path("circuitState").asString()).isEqualTo("CLOSED");
        assertThat(health.path("isolation").path("recentAttempts").asInt()).isEqualTo(2);
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("enabled").asBoolean()).isFalse();
        assertThat(patched.json().path("ratePerSecond").asInt()).isEqualTo(5);
        assertThat(patched.json().path("description").asString()).isEqualTo("shop 1");
        assertThat(patched.json().has("secret")).isFalse();
        assertThat(invalidPatch.status()).isEqualTo(400);
        assertThat(notifier.api()
                        .get("/api/endpoints/" + endpointId)
                        .json()
                        .path("ratePerSecond")
                        .asInt())
                .isEqualTo(5);
    }

    @Test
    void metricsCountDeliveriesByOutcomeAndHealthShowsTheBacklog() throws Exception {
        String id = notifier.api().notify(endpoint("/metrics"), "metrics-1", Map.of("n", 1));
        awaitStatus(id, "DELIVERED");
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + notifier.port());

        String prometheus = http.send(
                        HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
                                .header("Authorization", "Bearer " + NotifierInstance.TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(base.resolve("/actuator/health"))
                        .header("Authorization", "Bearer " + NotifierInstance.TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(prometheus)
                .containsPattern("courier_notifier_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]")
                .contains("courier_notifier_attempt_duration_seconds_bucket")
                .contains("courier_notifier_due ")
                .contains("courier_notifier_due_oldest_age_seconds")
                .contains("courier_notifier_circuits_open");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(NotifierApi.JSON
                        .readTree(health.body())
                        .path("components")
                        .path("notifier")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
    }
}
