package dev.courier.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison messages: a record Kafka refuses (larger than the producer's {@code max.request.size}) is charged attempts,
 * parked, holds back its key only, and is replayed or skipped through the admin API.
 */
class PostgresParkingIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    /** A relay that refuses records over 2000 bytes and parks after two attempts. */
    static final Map<String, String> STRICT = Map.of(
            "courier.relay.kafka.producer.max.request.size", "2000",
            "courier.relay.failure.max-attempts", "2",
            "courier.relay.failure.backoff-initial", "100ms");

    static Outbox outbox;

    @BeforeAll
    static void schema() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        outbox = Outbox.builder(DB.dataSource()).build();
    }

    @Test
    void parksAPoisonMessageHoldsBackItsKeyAndReplaysItAfterTheFix() throws Exception {
        String topic = "outbox.event.poison";
        try (TopicReader reader = new TopicReader(topic)) {
            UUID poison;
            try (RelayInstance strict = RelayInstance.start(DB.database(), "strict", STRICT)) {
                poison = publish("poison", "k1", "x".repeat(5000));
                publish("poison", "k1", "after-poison");
                publish("poison", "k2", "other-key");

                String parked = await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> strict.get("/admin/parked", "test-token").body(),
                                body -> body.contains(poison.toString()));
                assertThat(parked).contains("\"attempts\":2").contains("RecordTooLargeException");

                // A message written after the parking goes out: the relay has cycled, k1 stays held back.
                publish("poison", "k2", "later-other-key");
                List<ConsumerRecord<byte[], byte[]>> seen = reader.awaitAtLeast(2, Duration.ofSeconds(15));
                assertThat(values(seen)).containsExactly("other-key", "later-other-key");

                assertThat(strict.get("/admin/parked", null).statusCode()).isEqualTo(401);
                assertThat(strict.get("/admin/parked", "wrong").statusCode()).isEqualTo(401);
                assertThat(strict.post("/admin/parked/" + poison + "/replay", null)
                                .statusCode())
                        .isEqualTo(401);
            }

            // The operator lifts the limit (a relay with the default producer) and replays the message.
            try (RelayInstance fixed = RelayInstance.start(DB.database(), "fixed", Map.of())) {
                HttpResponse<String> replay = fixed.post("/admin/parked/" + poison + "/replay", "test-token");
                assertThat(replay.statusCode()).isEqualTo(200);

                List<ConsumerRecord<byte[], byte[]>> all = reader.awaitAtLeast(4, Duration.ofSeconds(15));
                assertThat(values(all).subList(2, 4)).containsExactly("x".repeat(5000), "after-poison");
                assertThat(fixed.post("/admin/parked/" + poison + "/replay", "test-token")
                                .statusCode())
                        .isEqualTo(404);
                assertThat(fixed.get("/admin/parked/" + poison, "test-token").body())
                        .contains("\"status\":\"REPLAYED\"");
            }
        }
    }

    @Test
    void skippingAParkedMessageReleasesItsKey() throws Exception {
        try (TopicReader reader = new TopicReader("outbox.event.skip");
                RelayInstance strict = RelayInstance.start(DB.database(), "strict-skip", STRICT)) {
            UUID poison = publish("skip", "k1", "y".repeat(5000));
            publish("skip", "k1", "after-skip");
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> strict.get("/admin/parked", "test-token").body(),
                            body -> body.contains(poison.toString()));

            assertThat(strict.post("/admin/parked/" + poison + "/skip", "test-token")
                            .statusCode())
                    .isEqualTo(200);

            List<ConsumerRecord<byte[], byte[]>> seen = reader.awaitAtLeast(1, Duration.ofSeconds(15));
            assertThat(values(seen)).containsExactly("after-skip");
            assertThat(strict.get("/admin/parked?status=SKIPPED", "test-token").body())
                    .contains(poison.toString());
            assertThat(strict.get("/admin/parked?status=BOGUS", "test-token").statusCode())
                    .isEqualTo(400);
        }
    }

    private static UUID publish(String type, String key, String payload) throws Exception {
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            UUID id = outbox.on(c)
                    .publish(new OutboxMessage(type, key, "Test", payload.getBytes(StandardCharsets.UTF_8), Map.of()));
            c.commit();
            return id;
        }
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                .toList();
    }
}
