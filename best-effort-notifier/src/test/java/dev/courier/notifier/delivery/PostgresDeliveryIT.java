package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.process.JavaProcess;
import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver;
import dev.courier.notifier.support.Receiver.Answer;
import dev.courier.receiver.WebhookVerifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivery against real HTTP receivers on random ports: signatures and headers, schedules (compressed profiles),
 * acknowledgement matchers, and every kind of failure.
 */
class PostgresDeliveryIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("delivery-it");

    private static JsonNode endpoint(String path, Object... fields) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("url", notifier.receiver().url(path));
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        return notifier.api().createEndpoint(request);
    }

    private static JsonNode awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.api().notification(id).path("status").asString(), status::equals);
        return notifier.api().notification(id);
    }

    private static List<JsonNode> attempts(JsonNode notification) {
        return notification.path("attempts").valueStream().toList();
    }

    /**
     * Numbers a double cannot hold keep their value: 1e400 was parsed as Infinity and stored as the string
     * "Infinity", found by the hostile-input property test (seed 6564872467024).
     */
    @Test
    void numbersADoubleCannotHoldReachTheReceiverWithTheirValue() {
        JsonNode endpoint = endpoint("/numbers");
        String body = "{\"endpointId\":\"" + endpoint.path("id").asString() + "\",\"eventType\":\"payment.succeeded\","
                + "\"payload\":{\"overflow\":1e400,\"precise\":0.1000000000000000055511,"
                + "\"huge\":123456789012345678901234567890}}";

        NotifierApi.Reply accepted =
                notifier.api().post("/api/notifications", body, Map.of("Idempotency-Key", "numbers-1"));
        awaitStatus(accepted.json().path("id").asString(), "DELIVERED");

        JsonNode delivered = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build()
                .readTree(notifier.receiver().requests("/numbers").getFirst().body());
        assertThat(delivered.path("overflow").isNumber()).isTrue();
        assertThat(delivered.path("overflow").decimalValue()).isEqualByComparingTo(new BigDecimal("1e400"));
        assertThat(delivered.path("precise").decimalValue())
                .isEqualByComparingTo(new BigDecimal("0.1000000000000000055511"));
        assertThat(delivered.path("huge").bigIntegerValue())
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void deliversASignedNotificationAtTheFirstTry() {
        JsonNode endpoint = endpoint("/first", "headers", Map.of("X-Merchant", "m-42"));
        String secret = endpoint.path("secret").asString();
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        NotifierApi.Reply accepted = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of(
                                "endpointId", endpoint.path("id").asString(),
                                "eventType", "payment.succeeded",
                                "payload", orderedPayload(),
                                "headers", Map.of("X-Order", "o-1")),
                        Map.of("Idempotency-Key", "first-1", "traceparent", traceparent));
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().path("id").asString();

        JsonNode delivered = awaitStatus(id, "DELIVERED");
        Receiver.Request request = notifier.receiver().requests("/first").getFirst();
        assertThat(WebhookVerifier.of(secret).verify(request::header, request.body()))
                .isEqualTo(id);
        assertThat(request.body()).isEqualTo("{\"orderId\":\"o-1\",\"amount\":1299}");
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("x-merchant")).isEqualTo("m-42");
        assertThat(request.header("x-order")).isEqualTo("o-1");
        assertThat(request.header("traceparent"))
                .startsWith("00-0af7651916cd43dd8448eb211c80319c-")
                .doesNotContain("b7ad6b7169203331")
                .endsWith("-01");
        assertThat(notifier.receiver().requests("/first")).hasSize(1);
        assertThat(delivered.path("attemptCount").asInt()).isEqualTo(1);
        assertThat(attempts(delivered)).singleElement().satisfies(attempt -> {
            assertThat(attempt.path("outcome").asString()).isEqualTo("ACKNOWLEDGED");
            assertThat(attempt.path("statusCode").asInt()).isEqualTo(200);
            assertThat(attempt.path("instance").asString()).isEqualTo("delivery-it");
        });
        assertThat(delivered.toString()).doesNotContain(secret);
    }

    /** A payload whose JSON has a known field order (Map.of has none), so the delivered body can be compared exactly. */
    private static Map<String, Object> orderedPayload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("orderId", "o-1");
        payload.put("amount", 1299);
        return payload;
    }

    @Test
    void retriesAServerErrorOnTheProfilesScheduleUntilAcknowledged() {
        AtomicInteger calls = new AtomicInteger();
        notifier.receiver()
                .on("/flaky", request -> calls.incrementAndGet() <= 2 ? Answer.of(503, "busy") : Answer.ok());
        JsonNode endpoint = endpoint("/flaky", "retryProfile", "custom:300ms,600ms");

        String id = notifier.api().notify(endpoint.path("id").asString(), "flaky-1", Map.of("n", 1));

        JsonNode delivered = awaitStatus(id, "DELIVERED");
        List<Receiver.Request> requests = notifier.receiver().requests("/flaky");
        assertThat(requests).hasSize(3);
        assertThat(Duration.between(
                        requests.get(0).receivedAt(), requests.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(Duration.between(
                        requests.get(1).receivedAt(), requests.get(2).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(id);
        assertThat(attempts(delivered))
                .extracting(a -> a.path("outcome").asString())
                .containsExactly("REJECTED", "REJECTED", "ACKNOWLEDGED");
        assertThat(attempts(delivered).getFirst().path("responseExcerpt").asString())
                .isEqualTo("busy");
    }

    @Test
    void answersTheDatabaseCannotStoreAreRecordedMadeStorableAndTheNotificationEnds() {
        // A NUL byte, an invalid UTF-8 sequence and an answer far longer than the excerpt column.
        notifier.receiver()
                .on("/nul-then-ok", request -> Answer.of(200, "ok\u0000with nul \uD800 " + "x".repeat(5000)));
        notifier.receiver().on("/nul-rejects", request -> Answer.of(500, "\u0000".repeat(3000)));
        String delivered =
                notifier.api().notify(endpoint("/nul-then-ok").path("id").asString(), "nul-1", Map.of("n", 1));
        String gaveUp = notifier.api()
                .notify(
                        endpoint("/nul-rejects", "retryProfile", "custom:100ms")
                                .path("id")
                                .asString(),
                        "nul-2",
                        Map.of("n", 2));

        JsonNode acknowledged = awaitStatus(delivered, "DELIVERED");
        assertThat(attempts(acknowledged)).hasSize(1);
        assertThat(attempts(acknowledged).getFirst().path("responseExcerpt").asString())
                .startsWith("ok\uFFFDwith nul")
                .hasSizeLessThanOrEqualTo(1024);
        JsonNode refused = awaitStatus(gaveUp, "GAVE_UP");
        assertThat(attempts(refused)).hasSize(2);
        assertThat(notifier.receiver().requests("/nul-then-ok")).hasSize(1);
        assertThat(notifier.receiver().requests("/nul-rejects")).hasSize(2);
    }

    @Test
    void givesUpAfterTheLastAttemptOfItsProfile() {
        notifier.receiver().on("/down", request -> Answer.of(500, "down"));
        JsonNode endpoint = endpoint("/down", "retryProfile", "custom:100ms,100ms");

        String id = notifier.api().notify(endpoint.path("id").asString(), "down-1", Map.of("n", 1));

        JsonNode gaveUp = awaitStatus(id, "GAVE_UP");
        assertThat(gaveUp.path("attemptCount").asInt()).isEqualTo(3);
        assertThat(gaveUp.path("lastStatusCode").asInt()).isEqualTo(500);
        assertThat(gaveUp.has("nextAttemptAt")).isFalse();
        assertThat(notifier.receiver().requests("/down")).hasSize(3);
    }

    @Test
    void aTimeoutFailsTheAttemptAndTheNextOneSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        notifier.receiver()
                .on(
                        "/slow",
                        request -> calls.incrementAndGet() == 1 ? Answer.ok().delayed(3000) : Answer.ok());
        JsonNode endpoint = endpoint("/slow", "retryProfile", "custom:100ms", "timeoutMs", 500);

        String id = notifier.api().notify(endpoint.path("id").asString(), "slow-1", Map.of("n", 1));

        JsonNode delivered = awaitStatus(id, "DELIVERED");
        JsonNode first = attempts(delivered).getFirst();
        assertThat(first.path("outcome").asString()).isEqualTo("FAILED");
        assertThat(first.path("error").asString()).contains("timed out");
        assertThat(first.path("durationMs").asLong()).isBetween(450L, 2500L);
    }

    @Test
    void aReceiverDrippingItsAnswerIsCutOffAtTheEndpointTimeout() {
        notifier.receiver()
                .on("/drip", request -> Answer.of(200, "s".repeat(100)).dripping(50));
        JsonNode endpoint = endpoint("/drip", "retryProfile", "custom:100ms", "timeoutMs", 800);

        String id = notifier.api().notify(endpoint.path("id").asString(), "drip-1", Map.of("n", 1));

        JsonNode gaveUp = awaitStatus(id, "GAVE_UP");
        assertThat(attempts(gaveUp)).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.path("outcome").asString()).isEqualTo("FAILED");
            assertThat(attempt.path("error").asString()).contains("timed out after 800 ms");
            assertThat(attempt.path("durationMs").asLong()).isLessThan(2000);
        });
    }

    @Test
    void aSlowReceiverWithinTheTimeoutIsDelivered() {
        notifier.receiver().on("/unhurried", request -> Answer.ok().delayed(700));
        JsonNode endpoint = endpoint("/unhurried", "timeoutMs", 3000);

        String id = notifier.api().notify(endpoint.path("id").asString(), "unhurried-1", Map.of("n", 1));

        JsonNode delivered = awaitStatus(id, "DELIVERED");
        assertThat(attempts(delivered).getFirst().path("durationMs").asLong()).isGreaterThanOrEqualTo(650);
    }

    @Test
    void aRefusedConnectionFailsTheAttempt() {
        int closedPort = JavaProcess.freePort();
        JsonNode endpoint = notifier.api()
                .createEndpoint(
                        Map.of("url", "http://127.0.0.1:" + closedPort + "/hook", "retryProfile", "custom:100ms"));

        String id = notifier.api().notify(endpoint.path("id").asString(), "refused-1", Map.of("n", 1));

        JsonNode gaveUp = awaitStatus(id, "GAVE_UP");
        assertThat(attempts(gaveUp)).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.path("outcome").asString()).isEqualTo("FAILED");
            assertThat(attempt.path("error").asString()).contains("connection failed");
            assertThat(attempt.has("statusCode")).isFalse();
        });
    }

    @Test
    void aRedirectIsNotFollowed() {
        notifier.receiver()
                .on(
                        "/moved",
                        request -> Answer.of(302, "")
                                .withHeader("Location", notifier.receiver().url("/elsewhere")));
        JsonNode endpoint = endpoint("/moved", "retryProfile", "custom:100ms");

        String id = notifier.api().notify(endpoint.path("id").asString(), "moved-1", Map.of("n", 1));

        JsonNode gaveUp = awaitStatus(id, "GAVE_UP");
        assertThat(attempts(gaveUp)).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.path("outcome").asString()).isEqualTo("REJECTED");
            assertThat(attempt.path("statusCode").asInt()).isEqualTo(302);
            assertThat(attempt.path("error").asString()).contains("redirect to").contains("not followed");
        });
        assertThat(notifier.receiver().requests("/elsewhere")).isEmpty();
    }

    @Test
    void eachAcknowledgementMatcherAcceptsOnlyItsAnswer() {
        notifier.receiver().on("/alipay-ok", request -> Answer.of(200, "success"));
        notifier.receiver().on("/alipay-garbage", request -> Answer.of(200, "<html>ok?</html>"));
        notifier.receiver().on("/wechat-ok", request -> Answer.of(200, "{\"code\":\"SUCCESS\",\"message\":\"OK\"}"));
        notifier.receiver().on("/wechat-fail", request -> Answer.of(200, "{\"code\":\"FAIL\",\"message\":\"sign\"}"));
        notifier.receiver().on("/any-garbage", request -> Answer.of(204, ""));
        String alipayOk = notifyVia(endpoint("/alipay-ok", "ackMatcher", "body-success"), "m-1");
        String alipayGarbage = notifyVia(
                endpoint("/alipay-garbage", "ackMatcher", "body-success", "retryProfile", "custom:100ms"), "m-2");
        String wechatOk = notifyVia(endpoint("/wechat-ok", "ackMatcher", "json-code-success"), "m-3");
        String wechatFail = notifyVia(
                endpoint("/wechat-fail", "ackMatcher", "json-code-success", "retryProfile", "custom:100ms"), "m-4");
        String any = notifyVia(endpoint("/any-garbage"), "m-5");

        awaitStatus(alipayOk, "DELIVERED");
        awaitStatus(wechatOk, "DELIVERED");
        awaitStatus(any, "DELIVERED");
        JsonNode garbage = awaitStatus(alipayGarbage, "GAVE_UP");
        assertThat(attempts(garbage).getFirst().path("responseExcerpt").asString())
                .isEqualTo("<html>ok?</html>");
        assertThat(attempts(garbage))
                .extracting(a -> a.path("outcome").asString())
                .containsOnly("REJECTED");
        assertThat(attempts(awaitStatus(wechatFail, "GAVE_UP")))
                .extracting(a -> a.path("outcome").asString())
                .containsOnly("REJECTED");
    }

    private static String notifyVia(JsonNode endpoint, String key) {
        return notifier.api().notify(endpoint.path("id").asString(), key, Map.of("key", key));
    }

    @Test
    void retryAfterLongerThanTheScheduleIsHonoured() {
        AtomicInteger calls = new AtomicInteger();
        notifier.receiver()
                .on(
                        "/throttled",
                        request -> calls.incrementAndGet() == 1
                                ? Answer.of(429, "slow down").withHeader("Retry-After", "2")
                                : Answer.ok());
        JsonNode endpoint = endpoint("/throttled", "retryProfile", "custom:100ms");

        String id = notifier.api().notify(endpoint.path("id").asString(), "throttled-1", Map.of("n", 1));

        awaitStatus(id, "DELIVERED");
        List<Receiver.Request> requests = notifier.receiver().requests("/throttled");
        assertThat(Duration.between(
                        requests.get(0).receivedAt(), requests.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void goneStopsTheNotificationAndDisablesTheEndpoint() {
        notifier.receiver().on("/gone", request -> Answer.of(410, "no such merchant"));
        JsonNode endpoint = endpoint("/gone", "retryProfile", "custom:100ms,100ms");
        String endpointId = endpoint.path("id").asString();

        String id = notifier.api().notify(endpointId, "gone-1", Map.of("n", 1));

        JsonNode gaveUp = awaitStatus(id, "GAVE_UP");
        assertThat(attempts(gaveUp))
                .singleElement()
                .satisfies(a -> assertThat(a.path("outcome").asString()).isEqualTo("GONE"));
        JsonNode disabled = notifier.api().get("/api/endpoints/" + endpointId).json();
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("disabledReason").asString())
                .contains("410 Gone")
                .contains(id);
        NotifierApi.Reply refused = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of("endpointId", endpointId, "eventType", "payment.succeeded", "payload", Map.of()),
                        Map.of("Idempotency-Key", "gone-2"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asString()).contains("disabled");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameNotification() {
        JsonNode endpoint = endpoint("/idempotent");
        String endpointId = endpoint.path("id").asString();
        Map<String, Object> body =
                Map.of("endpointId", endpointId, "eventType", "refund.created", "payload", List.of(1));

        NotifierApi.Reply first =
                notifier.api().post("/api/notifications", body, Map.of("Idempotency-Key", "same-key"));
        NotifierApi.Reply again =
                notifier.api().post("/api/notifications", body, Map.of("Idempotency-Key", "same-key"));
        NotifierApi.Reply otherPayload = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of("endpointId", endpointId, "eventType", "refund.created", "payload", List.of(2)),
                        Map.of("Idempotency-Key", "same-key"));

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asString())
                .isEqualTo(first.json().path("id").asString());
        assertThat(otherPayload.status()).isEqualTo(409);
        awaitStatus(first.json().path("id").asString(), "DELIVERED");
        assertThat(notifier.receiver().requests("/idempotent")).hasSize(1);
    }

    @Test
    void duringASecretRotationBothSecretsSignUntilTheOverlapEnds() {
        notifier.receiver().on("/rotating", request -> Answer.ok());
        JsonNode endpoint = endpoint("/rotating");
        String endpointId = endpoint.path("id").asString();
        String oldSecret = endpoint.path("secret").asString();

        NotifierApi.Reply rotated =
                notifier.api().post("/api/endpoints/" + endpointId + "/secrets", Map.of("overlapSeconds", 3600));
        assertThat(rotated.status()).isEqualTo(201);
        String newSecret = rotated.json().path("secret").asString();
        awaitStatus(notifier.api().notify(endpointId, "rotating-1", Map.of("n", 1)), "DELIVERED");

        Receiver.Request during = notifier.receiver().requests("/rotating").getLast();
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(WebhookVerifier.of(oldSecret).verify(during::header, during.body()))
                .isNotBlank();
        assertThat(WebhookVerifier.of(newSecret).verify(during::header, during.body()))
                .isNotBlank();

        notifier.api().post("/api/endpoints/" + endpointId + "/secrets", Map.of("overlapSeconds", 0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String id = notifier.api().notify(endpointId, "rotating-" + UUID.randomUUID(), Map.of("n", 2));
            awaitStatus(id, "DELIVERED");
            assertThat(notifier.receiver()
                            .requests("/rotating")
                            .getLast()
                            .header("webhook-signature")
                            .split(" "))
                    .hasSize(1);
        });
        Receiver.Request after = notifier.receiver().requests("/rotating").getLast();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> WebhookVerifier.of(newSecret).verify(after::header, after.body()))
                .hasMessageContaining("no webhook-signature matches");
        assertThat(notifier.api().get("/api/endpoints/" + endpointId).raw().body())
                .doesNotContain(oldSecret)
                .doesNotContain(newSecret);
    }
}
