package dev.courier.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.relay.support.OutboxRows;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract in cdc mode: Debezium reads the same outbox table's inserts from the WAL and the Kafka output must be
 * the same as polling mode's. The slot is dropped afterwards, so that no test leaves a slot holding WAL.
 */
class PostgresCdcRelayIT extends RelayContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_contract");

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    Map<String, String> relaySettings() {
        return Map.of("courier.relay.mode", "cdc", "courier.relay.cdc.slot", SLOT);
    }

    @Override
    String modeMetric() {
        return "courier_relay_cdc_state\\{state=\"LEADING\"} 1";
    }

    @Test
    void deliversRowsThatTheWriterDeletedRightAfterInsertingThem() throws Exception {
        Outbox deleting =
                Outbox.builder(DB.dataSource()).deleteAfterInsert(true).build();
        byte[] payload = "{\"paymentId\":\"p-9\"}".getBytes(StandardCharsets.UTF_8);
        try (TopicReader reader = new TopicReader(topic("vanishing"))) {
            UUID id;
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                id = deleting.on(c).publish(new OutboxMessage("vanishing", "p-9", "Captured", payload, Map.of()));
                c.commit();
            }
            assertThat(OutboxRows.count(DB.dataSource(), "vanishing")).isZero();

            ConsumerRecord<byte[], byte[]> record =
                    reader.awaitAtLeast(1, Duration.ofSeconds(15)).getFirst();

            assertThat(record.value()).isEqualTo(payload);
            assertThat(new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8))
                    .isEqualTo(id.toString());
        }
    }

    @Test
    void storesItsOffsetInTheDatabaseAndResumesFromItAfterARestart() throws Exception {
        try (TopicReader reader = new TopicReader(topic("resumed"))) {
            for (int n = 0; n < 50; n++) {
                publish("resumed", "r-" + (n % 5), n);
            }
            reader.awaitAtLeast(50, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(10)).until(() -> storedOffsets().contains("lsn"));

            relay.close();
            relay = RelayInstance.start(DB.database(), "relay-b", allSettings());
            publish("resumed", "r-0", 50);

            reader.awaitAtLeast(51, Duration.ofSeconds(30));
            // Nothing acknowledged before the restart comes again: the stored offset was the resume point.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> reader.poll().size() == 51);
        }
    }

    private void publish(String type, String key, int n) throws Exception {
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c).publish(type, key, "Counted", Map.of("n", n));
            c.commit();
        }
    }

    private String storedOffsets() throws Exception {
        try (Connection connection = DB.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT string_agg(offset_value, ',') FROM courier_outbox_cdc_offset");
                ResultSet result = select.executeQuery()) {
            result.next();
            return String.valueOf(result.getString(1));
        }
    }

    @Override
    void afterRelayStopped() throws Exception {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }
}
