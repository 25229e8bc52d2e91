package dev.courier.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.OutboxSchema;
import dev.courier.relay.support.KeyOrder;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * What one relay in polling mode does on every supported database; a tiny subclass per database supplies the
 * database and its wake-up settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PollingRelayContract {

    RelayInstance relay;
    Outbox outbox;

    abstract TestDatabaseExtension db();

    /** Settings of this database's relay on top of the common ones. */
    abstract Map<String, String> relaySettings();

    @BeforeAll
    void startRelay() {
        TestDatabaseExtension db = db();
        new OutboxSchema(Database.of(db.dataSource()), "courier_outbox", "courier_inbox").migrate(db.dataSource());
        outbox = Outbox.builder(db.dataSource()).build();
        Map<String, String> settings = new HashMap<>(relaySettings());
        // Topics per database: both subclasses share the test JVM's broker.
        settings.put("courier.relay.kafka.topic-prefix", topic(""));
        settings.put("courier.relay.kafka.topics.payment", topic("payments-v1"));
        relay = RelayInstance.start(db.database(), "relay-a", settings);
    }

    String topic(String suffix) {
        return db().kind().name().toLowerCase(Locale.ROOT) + ".outbox.event." + suffix;
    }

    @AfterAll
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
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
            await().atMost(Duration.ofSeconds(10)).until(() -> outboxRows("order") == 0);
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

            KeyOrder order = KeyOrder.check(records);
            assertThat(order.violations()).isEmpty();
            assertThat(order.seenPerKey())
                    .hasSize(keys)
                    .allSatisfy((key, seen) -> assertThat(seen).isEqualTo(perKey));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private long outboxRows(String aggregateType) throws SQLException {
        try (Connection c = db().dataSource().getConnection();
                Statement statement = c.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM courier_outbox WHERE aggregatetype = '" + aggregateType + "'")) {
            rows.next();
            return rows.getLong(1);
        }
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
