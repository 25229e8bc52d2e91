package dev.courier.relay.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.database.DatabaseServers;
import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.cdc.AbandonedSlotReaper;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.support.LoopWatch;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.supervision.LoopHealth;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every background loop of a polling relay on PostgreSQL survives an injected failure: it reports DOWN in
 * {@code /actuator/health} ({@code loops.<name>}) and in {@code courier.relay.loop.up}, goes on, and reports UP again
 * once the fault is gone, with publishing working. The faults are real: tables renamed away under the relay, the
 * database refusing connections, the Kafka client throwing from inside {@code send}.
 */
class PostgresLoopSupervisionIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final RelayTables TABLES = new RelayTables("courier_outbox");
    static final String TYPE = "supervised";
    static final String TOPIC = "outbox.event." + TYPE;
    static final Duration FAILS_WITHIN = Duration.ofSeconds(30);
    static final Duration RECOVERS_WITHIN = Duration.ofSeconds(60);

    static RelayInstance relay;
    static LoopWatch loops;
    static TopicReader reader;
    static Outbox outbox;

    @BeforeAll
    static void start() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        reader = new TopicReader(TOPIC, EmbeddedKafka.bootstrapServers());
        outbox = Outbox.builder(DB.dataSource()).build();
        relay = RelayInstance.start(
                DB.database(),
                "supervised",
                Map.of(
                        "courier.relay.outbox.retention", "1s",
                        "spring.kafka.producer.properties.partitioner.class", FailingPartitioner.class.getName(),
                        "courier.relay.failure.backoff-max", "2s"));
        loops = new LoopWatch(relay, FAILS_WITHIN, RECOVERS_WITHIN);
        await().atMost(RECOVERS_WITHIN)
                .untilAsserted(() -> assertThat(relay.http().health()).isEqualTo(200));
    }

    @AfterAll
    static void stop() {
        FailingPartitioner.fault = null;
        if (relay != null) {
            relay.close();
        }
        reader.close();
    }

    @AfterEach
    void everyLoopIsUpAgain() {
        FailingPartitioner.fault = null;
        await().atMost(RECOVERS_WITHIN).untilAsserted(() -> {
            assertThat(relay.http().health()).isEqualTo(200);
            for (String loop : new String[] {"engine", "leases", "listen", "backlog", "retention", "slot-reaper"}) {
                assertThat(loops.up(loop)).as(loop).isOne();
            }
        });
    }

    @Test
    void theLeaseLoopReportsAFailedRenewalAndRecovers() throws Exception {
        assertThat(loops.loop("leases").path("running").asBoolean()).isTrue();
        try (var renamed = rename(TABLES.lease())) {
            loops.awaitFailing("leases", "");
            assertThat(relay.http().health()).isEqualTo(503);
        }
        loops.awaitRecovered("leases");
        assertPublishes();
    }

    @Test
    void theBacklogLoopReportsAFailedCountAndRecovers() throws Exception {
        try (var renamed = rename(TABLES.parked())) {
            loops.awaitFailing("backlog", "");
        }
        loops.awaitRecovered("backlog");
    }

    @Test
    void theRetentionLoopReportsAFailedPruneAndRecovers() throws Exception {
        try (var renamed = rename(TABLES.published())) {
            loops.awaitFailing("retention", "");
        }
        loops.awaitRecovered("retention");
    }

    @Test
    void theSlotReaperReportsAFailedCheckAndRecovers() throws Exception {
        // The relay's reaper checks every 30 s; this one, on the same database, every 100 ms. Its first check drops the
        // abandoned slot and then cannot forget the offsets (their table is away); the next finds no slot: success.
        LoopHealth health = new LoopHealth("courier.test.loop", "slot-reaper", new SimpleMeterRegistry());
        execute("SELECT pg_create_logical_replication_slot('supervised_reaper', 'pgoutput')");
        try (var renamed = rename(TABLES.cdcOffset());
                var reaper = new AbandonedSlotReaper(
                        DB.dataSource(), "supervised_reaper", TABLES.cdcOffset(), Duration.ofMillis(100), health)) {
            await().atMost(FAILS_WITHIN).untilAsserted(() -> {
                assertThat(health.isUp()).isFalse();
                assertThat(health.details()).containsKey("failingSince");
            });
            renamed.close();
            await().atMost(RECOVERS_WITHIN).until(health::isUp);
        }
        assertThat(health.isUp()).as("stopped with its reaper").isFalse();
    }

    @Test
    void theListenLoopReportsALostConnectionWhileTheDatabaseRefusesAndListensAgain() throws Exception {
        try (Connection admin = DatabaseServers.get(DB.kind()).connectAdmin();
                Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + DB.database().name() + " ALLOW_CONNECTIONS false");
            try {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = 'courier-relay-listen' AND datname = '"
                        + DB.database().name() + "'");
                loops.awaitFailing("listen", "");
                assertThat(relay.relay().listening()).isFalse();
            } finally {
                statement.execute("ALTER DATABASE " + DB.database().name() + " ALLOW_CONNECTIONS true");
            }
        }
        loops.awaitRecovered("listen");
        await().atMost(RECOVERS_WITHIN).until(() -> relay.relay().listening());
        assertPublishes();
    }

    @Test
    void anErrorThrownInsideTheKafkaClientFailsTheEngineLoopWhichRecoversAndPublishesTheMessage() throws Exception {
        // An Error escapes the producer's send and the engine's cycle: the loop reports it and backs off. Its batch
        // can never complete, so the partition must be fetched again, or the message would wait for ever.
        FailingPartitioner.fault = () -> new NoClassDefFoundError("org/example/Plugin");
        String key = "error-" + UUID.randomUUID();
        write(key);
        loops.awaitFailing("engine", "NoClassDefFoundError");

        FailingPartitioner.fault = null;

        loops.awaitRecovered("engine");
        awaitPublished(key);
    }

    @Test
    void anUnexpectedExceptionFromTheKafkaClientCountsAsAnOutageAndTheMessageIsPublishedAfterIt() throws Exception {
        // Before, an exception other than a KafkaException left its batch incomplete and its partition in flight
        // for good: the message was never published and nothing said so.
        FailingPartitioner.fault =
                () -> new IllegalStateException("Cannot perform operation after producer has been closed");
        String key = "closed-" + UUID.randomUUID();
        write(key);
        await().atMost(FAILS_WITHIN).untilAsserted(() -> {
            assertThat(relay.http().health()).isEqualTo(503);
            assertThat(loops.details().path("kafka").asString()).isNotEqualTo("CLOSED");
        });

        FailingPartitioner.fault = null;

        awaitPublished(key);
    }

    // ---- helpers

    /** A table renamed away until closed (once; closing again does nothing). */
    interface Renamed extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    static Renamed rename(String table) throws SQLException {
        execute("ALTER TABLE " + table + " RENAME TO " + table + "_away");
        boolean[] back = {false};
        return () -> {
            if (!back[0]) {
                execute("ALTER TABLE " + table + "_away RENAME TO " + table);
                back[0] = true;
            }
        };
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = DB.connect();
                Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    static void write(String key) throws SQLException {
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c)
                    .publish(new OutboxMessage(TYPE, key, "Checked", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
            c.commit();
        }
    }

    static void awaitPublished(String key) {
        await().atMost(RECOVERS_WITHIN)
                .until(() -> reader.poll().stream()
                        .map(ConsumerRecord::key)
                        .anyMatch(bytes -> key.equals(new String(bytes, StandardCharsets.UTF_8))));
    }

    static void assertPublishes() throws SQLException {
        String key = "after-" + UUID.randomUUID();
        write(key);
        awaitPublished(key);
    }
}
