package dev.courier.notifier.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Presets over real HTTP: an endpoint takes a provider's preset for all its notifications and another per event type;
 * each notification is acknowledged and scheduled by the preset of its type.
 */
class PostgresPresetsIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("presets-it");

    @Test
    void eachNotificationIsAcknowledgedAndScheduledByThePresetOfItsEventType() {
        // The same answer for every notification: an Alipay "success" with status 202.
        notifier.receiver().on("/presets", request -> Answer.of(202, "success"));
        Reply created = notifier.api()
                .post(
                        "/api/endpoints",
                        Map.of(
                                "url",
                                notifier.receiver().url("/presets"),
                                "preset",
                                "wechat-pay-v3",
                                "presetsByEventType",
                                Map.of("refund.*", "alipay")));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.json().path("retryProfile").asString()).isEqualTo("wechat-pay");
        assertThat(created.json().path("ackMatcher").asString()).isEqualTo("status-200-204");
        assertThat(created.json().path("presetsByEventType").path("refund.*").asString())
                .isEqualTo("alipay");
        String endpoint = created.json().path("id").asString();

        String refund = notify(endpoint, "refund.succeeded", "p-1");
        String payment = notify(endpoint, "payment.succeeded", "p-2");
        Instant sent = Instant.now();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.api().notification(refund).path("status").asString(), "DELIVERED"::equals);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.api()
                                .notification(payment)
                                .path("attemptCount")
                                .asInt()
                        == 1);
        JsonNode unacknowledged = notifier.api().notification(payment);
        assertThat(unacknowledged.path("status").asString())
                .as("202 is no WeChat Pay v3 acknowledgement")
                .isEqualTo("PENDING");
        assertThat(unacknowledged.path("attempts").get(0).path("outcome").asString())
                .isEqualTo("REJECTED");
        Instant next = Instant.parse(unacknowledged.path("nextAttemptAt").asString());
        assertThat(Duration.between(sent, next))
                .as("WeChat Pay's first wait, 15 s")
                .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    @Test
    void badPresetsAreRefusedNamingTheField() {
        Reply reply = notifier.api()
                .post(
                        "/api/endpoints",
                        Map.of(
                                "url",
                                notifier.receiver().url("/x"),
                                "preset",
                                "paypal",
                                "presetsByEventType",
                                Map.of("refund.*", "stripe", "a b", "alipay")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").toString())
                .contains("preset:", "presetsByEventType: the preset of refund.*", "presetsByEventType: each key");
    }

    private static String notify(String endpoint, String eventType, String key) {
        Reply reply = notifier.api()
                .post(
                        "/api/notifications",
                        Map.of("endpointId", endpoint, "eventType", eventType, "payload", Map.of("k", key)),
                        Map.of("Idempotency-Key", key));
        assertThat(reply.status()).isEqualTo(202);
        return reply.json().path("id").asString();
    }
}
