package dev.courier.notifier.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver.Answer;
import dev.courier.receiver.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Endpoint failure runs, auto-disable and operator events against a real receiver and broker: an endpoint failing
 * three times in a row is reported, one failing for longer than the configured span is disabled with the reason on
 * it, a notification that gives up is reported, each event reaching the operator endpoint (signed) and the Kafka
 * topic.
 */
class PostgresOperatorEventsIT {

    private static final UUID OPERATOR = UUID.randomUUID();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String TOPIC = "courier.operator." + Long.toString(System.nanoTime(), 36);

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "operator-it",
            Map.of(
                    "courier.notifier.endpoint-failing-after",
                    "3",
                    "courier.notifier.auto-disable-after",
                    "2s",
                    "courier.notifier.operator-events.endpoint-id",
                    OPERATOR.toString(),
                    "courier.notifier.operator-events.kafka-topic",
                    TOPIC,
                    "spring.kafka.bootstrap-servers",
                    EmbeddedKafka.bootstrapServers(),
                    // Failures on purpose must not open circuits: the runs of failures are what is watched here.
                    "courier.notifier.circuit.sliding-window-size",
                    "100000",
                    "courier.notifier.circuit.minimum-calls",
                    "100000"));

    private static final List<JsonNode> onKafka = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void operatorEndpointAndTopic() {
        // The operator endpoint is named in the settings, so it is written here once the schema exists.
        notifier.jdbc()
                .sql("INSERT INTO notifier_endpoint (id, url, retry_profile, ack_matcher, timeout_ms, max_concurrency,"
                        + " rate_per_second) VALUES (?, ?, 'custom:200ms', 'any-2xx', 2000, 5, 100)")
                .params(OPERATOR, notifier.receiver().url("/operator"))
                .update();
        notifier.jdbc()
                .sql("INSERT INTO notifier_endpoint_secret (endpoint_id, secret) VALUES (?, ?)")
                .params(OPERATOR, SECRET)
                .update();
        Thread.ofVirtual().start(() -> {
            Map<String, Object> settings = new HashMap<>(EmbeddedKafka.clientSettings());
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, "operator-it-" + TOPIC);
            settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(TOPIC));
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        onKafka.add(NotifierApi.JSON.readTree(record.value()));
                    }
                }
            }
        });
    }

    private static List<JsonNode> atOperator(String type, String endpointId) {
        return notifier.receiver().requests("/operator").stream()
                .map(r -> {
                    assertThat(WebhookVerifier.of(SECRET).verify(r::header, r.body()))
                            .isNotBlank();
                    return NotifierApi.JSON.readTree(r.body());
                })
                .filter(e -> e.path("type").asString().equals(type)
                        && e.path("endpointId").asString().equals(endpointId))
                .toList();
    }

    private static boolean onKafka(String type, String endpointId) {
        return onKafka.stream()
                .anyMatch(e -> e.path("type").asString().equals(type)
                        && e.path("endpointId").asString().equals(endpointId));
    }

    private static String endpoint(String path, String profile) {
        return notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url(path), "retryProfile", profile))
                .path("id")
                .asString();
    }

    @Test
    void anEndpointFailingTooLongIsReportedThenDisabledWithTheReason() {
        notifier.receiver().on("/dead", request -> Answer.of(500, "down"));
        Instant before = Instant.now();
        String dead = endpoint("/dead", "custom:300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms");

        notifier.api().notify(dead, "dead-1", Map.of("n", 1));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !notifier.api()
                        .get("/api/endpoints/" + dead)
                        .json()
                        .path("enabled")
                        .asBoolean());
        JsonNode disabled = notifier.api().get("/api/endpoints/" + dead).json();
        assertThat(disabled.path("disabledReason").asString())
                .contains("failing since", "failed attempts in a row", "disabled automatically");
        assertThat(notifier.receiver().requests("/dead").size())
                .as("the run lasted past the 2 s span")
                .isGreaterThanOrEqualTo(4);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> atOperator("endpoint.failing", dead).size() == 1
                        && atOperator("endpoint.disabled", dead).size() == 1
                        && onKafka("endpoint.failing", dead)
                        && onKafka("endpoint.disabled", dead));
        JsonNode failing = atOperator("endpoint.failing", dead).getFirst();
        assertThat(failing.path("consecutiveFailures").asInt()).isEqualTo(3);
        assertThat(Instant.parse(failing.path("failingSince").asString())).isAfter(before.minusSeconds(1));
        JsonNode health =
                notifier.api().get("/api/endpoints/" + dead + "/health").json();
        assertThat(health.path("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(health.path("failingSince").isString()).isTrue();
    }

    @Test
    void aSuccessEndsTheRunOfFailures() {
        AtomicInteger calls = new AtomicInteger();
        notifier.receiver()
                .on("/flaky", request -> calls.incrementAndGet() % 3 == 0 ? Answer.ok() : Answer.of(503, "busy"));
        String flaky = endpoint("/flaky", "custom:100ms,100ms,100ms,100ms,100ms");

        for (int i = 0; i < 4; i++) {
            String id = notifier.api().notify(flaky, "flaky-" + i, Map.of("n", i));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> notifier.api().notification(id).path("status").asString(), "DELIVERED"::equals);
        }

        JsonNode health =
                notifier.api().get("/api/endpoints/" + flaky + "/health").json();
        assertThat(health.path("consecutiveFailures").asInt()).isZero();
        assertThat(health.has("failingSince")).isFalse();
        assertThat(atOperator("endpoint.failing", flaky)).as("never 3 in a row").isEmpty();
        assertThat(notifier.api()
                        .get("/api/endpoints/" + flaky)
                        .json()
                        .path("enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aNotificationThatGivesUpIsReported() {
        notifier.receiver().on("/gone-quiet", request -> Answer.of(502, "bad gateway"));
        String endpoint = endpoint("/gone-quiet", "custom:100ms");

        String id = notifier.api().notify(endpoint, "quiet-1", Map.of("n", 1));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> atOperator("notification.gave_up", endpoint).size() == 1
                        && onKafka("notification.gave_up", endpoint));
        JsonNode event = atOperator("notification.gave_up", endpoint).getFirst();
        assertThat(event.path("notificationId").asString()).isEqualTo(id);
        assertThat(event.path("attempts").asInt()).isEqualTo(2);
        assertThat(new String(event.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .doesNotContain(SECRET);
    }
}
