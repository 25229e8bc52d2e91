package dev.courier.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyOrder;
import dev.courier.relay.support.OutboxRows;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What one relay does, in every mode on every supported database: the Kafka output (topic, key, value bytes,
 * headers), late commits, key order, retention, pause/resume and metrics must be the same. A tiny subclass per mode
 * and database supplies the database and the mode's settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayContract {

    static final Duration RETENTION = Duration.ofSeconds(6);

    RelayInstance relay;
    Outbox outbox;

    abstract TestDatabaseExtension db();

    /** Settings of this database's relay on top of the common ones. */
    abstract Map<String, String> relaySettings();

    /** A metric only this mode exports, as a pattern the Prometheus scrape must contain. */
    abstract String modeMetric();

    /** Clean-up after the relay stopped (e.g. a replication slot). */
    void afterRelayStopped() throws Exception {}

    @BeforeAll
    void startRelay() {
        TestDatabaseExtension db = db();
        new OutboxSchema(Database.of(db.dataSource()), "courier_outbox", "courier_inbox").migrate(db.dataSource());
        outbox = Outbox.builder(db.dataSource()).build();
        relay = RelayInstance.start(db.database(), "relay-a", allSettings());
    }

    /** The subclass's settings plus the contract's own. */
    Map<String, String> allSettings() {
        Map<String, String> settings = new HashMap<>(relaySettings());
        // Topics per database and mode: all subclasses share the test JVM's broker.
        settings.put("courier.relay.kafka.topic-prefix", topic(""));
        settings.put("courier.relay.kafka.topics.payment", topic("payments-v1"));
        // Published rows are moved to the archive, and pruned after this long.
        settings.put("courier.relay.outbox.retention", RETENTION.toMillis() + "ms");
        return settings;
    }

    String topic(String suffix) {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT) + ".outbox.event." + suffix;
    }

    @AfterAll
    void stopRelay() throws Exception {
        if (relay != null) {
            relay.close();
        }
        afterRelayStopped();
    }

    @Test
    void publishesKeyPayloadBytesAndHeadersThenDeletesTheRow() throws Exception {
        byte[] payload = "{\"orderId\":\"o-1\",\"total\":12.5}".getBytes(StandardCharsets.UTF_8);
        try (TopicReader reader = new TopicReader(topic("order"))) {
            UUID id = inTransaction(c -> outbox.on(c)
                    .publish(new OutboxMessage(
                            "order",
                            "o-1",
                            "OrderPlaced",
                            payload,
                            Map.of(
                                    "tenant",
                                    "acme",
                                    "traceparent",
                                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))));

            ConsumerRecord<byte[], byte[]> record =
                    reader.awaitAtLeast(1, Duration.ofSeconds(15)).getFirst();

            assertThat(record.key()).asString(StandardCharsets.UTF_8).isEqualTo("o-1");
            assertThat(record.value()).isEqualTo(payload);
            assertThat(header(record, "id")).isEqualTo(id.toString());
            assertThat(header(record, "type")).isEqualTo("OrderPlaced");
            assertThat(header(record, "aggregatetype")).isEqualTo("order");
            assertThat(Instant.parse(header(record, "created_at"))).isBefore(Instant.now());
            assertThat(header(record, "tenant")).isEqualTo("acme");
            assertThat(header(record, "traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c");
            await().atMost(Duration.ofSeconds(10)).until(() -> OutboxRows.count(db().dataSource(), "order") == 0);
        }
    }

    @Test
    void routesAnAggregateTypeToItsConfiguredTopic() throws Exception {
        try (TopicReader reader = new TopicReader(topic("payments-v1"))) {
            inTransaction(c -> outbox.on(c).publish("payment", "p-1", "PaymentCaptured", Map.of("amount", 10)));

            ConsumerRecord<byte[], byte[]> record =
                    reader.awaitAtLeast(1, Duration.ofSeconds(15)).getFirst();

            assertThat(header(record, "type")).isEqualTo("PaymentCaptured");
            assertThat(record.value()).asString(StandardCharsets.UTF_8).isEqualTo("{\"amount\":10}");
        }
    }

    @Test
    void deliversATransactionThatCommitsAfterALaterOne() throws Exception {
        try (TopicReader reader = new TopicReader(topic("late"));
                Connection first = db().dataSource().getConnection()) {
            // A starts first and takes the lower sequence number, but commits last.
            first.setAutoCommit(false);
            UUID early = outbox.on(first).publish("late", "k-1", "A", Map.of("n", 1));
            UUID late = inTransaction(c -> outbox.on(c).publish("late", "k-2", "B", Map.of("n", 2)));

            List<ConsumerRecord<byte[], byte[]>> beforeCommit = reader.awaitAtLeast(1, Duration.ofSeconds(15));
            assertThat(beforeCommit).extracting(r -> header(r, "id")).containsExactly(late.toString());

            first.commit();

            List<ConsumerRecord<byte[], byte[]>> all = reader.awaitAtLeast(2, Duration.ofSeconds(15));
            assertThat(all).extracting(r -> header(r, "id")).containsExactly(late.toString(), early.toString());
        }
    }

    @Test
    void publishesManyMessagesInKeyOrder() throws Exception {
        int keys = 20;
        int perKey = 100;
        try (TopicReader reader = new TopicReader(topic("bulk"))) {
            for (int n = 0; n < perKey; n++) {
                int round = n;
                inTransaction(c -> {
                    for (int k = 0; k < keys; k++) {
                        outbox.on(c)
                                .publish(new OutboxMessage(
                                        "bulk",
                                        "key-" + k,
                                        "Counted",
                                        ("key-" + k + ":" + round).getBytes(),
                                        Map.of()));
                    }
                    return null;
                });
            }

            List<ConsumerRecord<byte[], byte[]>> records = reader.awaitAtLeast(keys * perKey, Duration.ofSeconds(30));

            KeyOrder.check(records).assertComplete(keys, perKey);
        }
    }

    @Test
    void keepsPublishedMessagesQueryableForTheRetentionThenPrunesThem() throws Exception {
        try (TopicReader reader = new TopicReader(topic("kept"))) {
            List<UUID> ids = inTransaction(c -> List.of(
                    outbox.on(c).publish("kept", "k-1", "First", Map.of("n", 1)),
                    outbox.on(c).publish("kept", "k-1", "Second", Map.of("n", 2))));
            reader.awaitAtLeast(2, Duration.ofSeconds(15));
            await().atMost(Duration.ofSeconds(10)).until(() -> OutboxRows.count(db().dataSource(), "kept") == 0);

            HttpResponse<String> kept =
                    relay.get("/admin/published?aggregateType=kept&aggregateId=k-1", RelayInstance.TOKEN);
            assertThat(kept.statusCode()).isEqualTo(200);
            assertThat(kept.body()).contains(ids.get(0).toString(), ids.get(1).toString(), "publishedAt", "leaseEpoch");

            await().atMost(RETENTION.multipliedBy(4))
                    .until(() -> relay.get("/admin/published?aggregateType=kept&aggregateId=k-1", RelayInstance.TOKEN)
                            .body()
                            .equals("[]"));
        }
    }

    @Test
    void pausesAndResumesPublishingThroughTheAdminApi() throws Exception {
        try (TopicReader reader = new TopicReader(topic("paused"))) {
            assertThat(relay.post("/admin/pause", RelayInstance.TOKEN).statusCode())
                    .isEqualTo(200);
            try {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> relay.bean(Relay.class).paused());
                inTransaction(c -> outbox.on(c).publish("paused", "p-1", "Held", Map.of("n", 1)));
                // Held back for as long as the pause lasts: nothing may arrive during these seconds.
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> reader.poll().isEmpty());
                assertThat(relay.get("/admin/status", RelayInstance.TOKEN).body())
                        .contains("\"paused\":true");
            } finally {
                assertThat(relay.post("/admin/resume", RelayInstance.TOKEN).statusCode())
                        .isEqualTo(200);
            }
            assertThat(reader.awaitAtLeast(1, Duration.ofSeconds(15))).hasSize(1);
        }
    }

    @Test
    void exposesItsMetricsToPrometheus() throws Exception {
        try (TopicReader reader = new TopicReader(topic("metered"))) {
            inTransaction(c -> outbox.on(c).publish("metered", "m-1", "Counted", Map.of("n", 1)));
            reader.awaitAtLeast(1, Duration.ofSeconds(15));
        }
        HttpResponse<String> scrape = relay.get("/actuator/prometheus", RelayInstance.TOKEN);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("courier_relay_published_total [1-9]")
                .contains(
                        "courier_relay_lag_seconds_bucket{",
                        "courier_relay_backlog ",
                        "courier_relay_backlog_oldest_age_seconds ",
                        "courier_relay_parked ",
                        "courier_relay_failures_total{kind=\"outage\"}",
                        "courier_relay_failures_total{kind=\"record\"}")
                .containsPattern(modeMetric());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private <T> T inTransaction(Work<T> work) throws Exception {
        try (Connection c = db().dataSource().getConnection()) {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        }
    }
}
