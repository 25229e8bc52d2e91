package dev.courier.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.OutboxRows;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Poison messages: a record Kafka refuses (larger than the producer's {@code max.request.size}) is charged attempts,
 * parked, holds back its key only, and is replayed or skipped through the admin API; in polling mode, in cdc mode
 * (where the later messages of the key are held in the parking table) and across a switch of modes in between.
 */
class PostgresParkingIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_parking_it");

    static Outbox outbox;

    @BeforeAll
    static void schema() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        outbox = Outbox.builder(DB.dataSource()).build();
    }

    @AfterEach
    void dropSlot() {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    /** A relay in {@code mode}; {@code strict} refuses records over 2000 bytes and parks after two attempts. */
    static Map<String, String> relay(String mode, boolean strict) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "courier.relay.mode", mode,
                "courier.relay.cdc.slot", SLOT,
                "courier.relay.failure.backoff-initial", "100ms"));
        if (strict) {
            settings.put("spring.kafka.producer.properties.max.request.size", "2000");
            settings.put("courier.relay.failure.max-attempts", "2");
        }
        return settings;
    }

    @ParameterizedTest(name = "parked in {0} mode, replayed in {1} mode")
    @CsvSource({"polling, polling", "cdc, cdc", "cdc, polling", "polling, cdc"})
    void parksAPoisonMessageHoldsBackItsKeyAndReplaysItAfterTheFix(String parkMode, String replayMode)
            throws Exception {
        String type = "poison-" + parkMode + "-" + replayMode;
        try (TopicReader reader = new TopicReader("outbox.event." + type)) {
            UUID poison;
            UUID afterPoison;
            try (RelayInstance strict = RelayInstance.start(DB.database(), "strict", relay(parkMode, true))) {
                poison = publish(type, "k1", "x".repeat(5000));
                afterPoison = publish(type, "k1", "after-poison");
                publish(type, "k2", "other-key");

                String parked = await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> strict.get("/admin/parked", RelayInstance.TOKEN)
                                        .body(),
                                body -> body.contains(poison.toString()));
                assertThat(parked).contains("\"attempts\":2").contains("RecordTooLargeException");

                // Written after the parking: k1's goes behind the parked message, k2's goes out.
                publish(type, "k1", "after-parking");
                publish(type, "k2", "later-other-key");
                List<ConsumerRecord<byte[], byte[]>> seen = reader.awaitAtLeast(2, Duration.ofSeconds(15));
                assertThat(values(seen)).containsExactly("other-key", "later-other-key");
                if (parkMode.equals("cdc")) {
                    // The change stream moved on: k1's later messages wait in the parking table, not in the outbox.
                    await().atMost(Duration.ofSeconds(15)).until(() -> OutboxRows.count(DB.dataSource(), type) == 0);
                    assertThat(strict.get("/admin/parked?status=HELD", RelayInstance.TOKEN)
                                    .body())
                            .contains(afterPoison.toString());
                }

                assertThat(strict.get("/admin/parked", null).statusCode()).isEqualTo(401);
                assertThat(strict.get("/admin/parked", "wrong").statusCode()).isEqualTo(401);
                assertThat(strict.post("/admin/parked/" + poison + "/replay", null)
                                .statusCode())
                        .isEqualTo(401);
            }

            // The operator lifts the limit (a relay with the default producer) and replays the message.
            try (RelayInstance fixed = RelayInstance.start(DB.database(), "fixed", relay(replayMode, false))) {
                HttpResponse<String> replay = fixed.post("/admin/parked/" + poison + "/replay", RelayInstance.TOKEN);
                assertThat(replay.statusCode()).isEqualTo(200);

                List<ConsumerRecord<byte[], byte[]>> all = reader.awaitAtLeast(5, Duration.ofSeconds(30));
                assertThat(values(all).subList(2, all.size()))
                        .containsExactly("x".repeat(5000), "after-poison", "after-parking");
                await().atMost(Duration.ofSeconds(15))
                        .until(
                                () -> fixed.get("/admin/parked/" + poison, RelayInstance.TOKEN)
                                        .body(),
                                body -> body.contains("\"status\":\"REPLAYED\""));
                assertThat(fixed.post("/admin/parked/" + poison + "/replay", RelayInstance.TOKEN)
                                .statusCode())
                        .isEqualTo(404);
                assertThat(fixed.get("/admin/parked?status=HELD", RelayInstance.TOKEN)
                                .body())
                        .doesNotContain(type);
                assertThat(OutboxRows.count(DB.dataSource(), type)).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"polling", "cdc"})
    void skippingAParkedMessageReleasesItsKey(String mode) throws Exception {
        String type = "skip-" + mode;
        try (TopicReader reader = new TopicReader("outbox.event." + type);
                RelayInstance strict = RelayInstance.start(DB.database(), "strict-skip", relay(mode, true))) {
            UUID poison = publish(type, "k1", "y".repeat(5000));
            publish(type, "k1", "after-skip");
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> strict.get("/admin/parked", RelayInstance.TOKEN)
                                    .body(),
                            body -> body.contains(poison.toString()));

            assertThat(strict.post("/admin/parked/" + poison + "/skip", RelayInstance.TOKEN)
                            .statusCode())
                    .isEqualTo(200);

            List<ConsumerRecord<byte[], byte[]>> seen = reader.awaitAtLeast(1, Duration.ofSeconds(15));
            assertThat(values(seen)).containsExactly("after-skip");
            await().atMost(Duration.ofSeconds(15))
                    .until(
                            () -> strict.get("/admin/parked?status=SKIPPED", RelayInstance.TOKEN)
                                    .body(),
                            body -> body.contains(poison.toString()));
            assertThat(strict.get("/admin/parked?status=BOGUS", RelayInstance.TOKEN)
                            .statusCode())
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
