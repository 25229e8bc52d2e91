package dev.courier.notifier.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The delivery loops are supervised: a fault of the database under them (a table they need gone) turns the
 * notifier's health DOWN naming the failing loop, and once the fault is repaired the loops recover on their own and
 * finish the work.
 */
class PostgresLoopSupervisionIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "supervision-it", Map.of("courier.notifier.max-endpoint-timeout", "1s", "courier.notifier.lease", "3s"));

    static JsonNode notifierHealth() {
        return notifier.api().get("/actuator/health").json().path("components").path("notifier");
    }

    @Test
    void aFailingClaimLoopIsDownInHealthAndRecoversWhenTheDatabaseDoes() {
        String endpoint = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/claims"), "timeoutMs", 1000))
                .path("id")
                .asString();
        notifier.jdbc()
                .sql("ALTER TABLE notifier_notification RENAME TO notifier_notification_gone")
                .update();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode health = notifierHealth();
                assertThat(health.path("status").asString()).isEqualTo("DOWN");
                assertThat(health.path("details").path("dispatcher").has("failingSince"))
                        .isTrue();
                assertThat(health.path("details")
                                .path("dispatcher")
                                .path("lastError")
                                .asString())
                        .contains("notifier_notification");
            });
        } finally {
            notifier.jdbc()
                    .sql("ALTER TABLE notifier_notification_gone RENAME TO notifier_notification")
                    .update();
        }
        String id = notifier.api().notify(endpoint, "claims-1", Map.of("n", 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(notifier.api().notification(id).path("status").asString())
                    .isEqualTo("DELIVERED");
            assertThat(notifierHealth().path("status").asString()).isEqualTo("UP");
        });
    }

    @Test
    void aFailingAttemptWriterIsDownInHealthAndTheNotificationIsDeliveredAfterTheRepair() {
        String endpoint = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/attempts"), "timeoutMs", 1000))
                .path("id")
                .asString();
        notifier.jdbc()
                .sql("ALTER TABLE notifier_attempt RENAME TO notifier_attempt_gone")
                .update();
        String id;
        try {
            id = notifier.api().notify(endpoint, "attempts-1", Map.of("n", 1));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(notifier.receiver().requests("/attempts")).isNotEmpty();
                JsonNode health = notifierHealth();
                assertThat(health.path("status").asString()).isEqualTo("DOWN");
                assertThat(health.path("details").path("attempt-writer").has("failingSince"))
                        .isTrue();
            });
        } finally {
            notifier.jdbc()
                    .sql("ALTER TABLE notifier_attempt_gone RENAME TO notifier_attempt")
                    .update();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(notifier.api().notification(id).path("status").asString())
                    .isEqualTo("DELIVERED");
            assertThat(notifierHealth().path("status").asString()).isEqualTo("UP");
        });
    }
}
