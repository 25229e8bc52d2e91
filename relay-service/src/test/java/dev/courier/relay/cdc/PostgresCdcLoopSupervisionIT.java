package dev.courier.relay.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.database.DatabaseServers;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.db.RelaySchema;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.support.LoopWatch;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loops of a cdc relay fail for real and recover: the database refuses new connections and every session of the
 * relay (pool, leader lock, walsender) is terminated. The leadership loop cannot even ask for the lock and the slot
 * cannot be sampled: both report DOWN ({@code cdc-leader}, {@code slot-monitor}), health is 503; once connections are
 * allowed again the relay leads, streams, and both loops are UP.
 */
class PostgresCdcLoopSupervisionIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_slot_loops");
    static final String TYPE = "supervisedcdc";

    @BeforeAll
    static void migrate() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        RelaySchema.migrate(DB.dataSource(), Database.POSTGRESQL, new RelayTables("courier_outbox"));
    }

    @AfterAll
    static void dropSlot() throws SQLException {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    @Test
    void leadershipAndSlotSamplingReportADatabaseThatRefusesConnectionsAndRecover() throws Exception {
        Outbox outbox = Outbox.builder(DB.dataSource()).build();
        try (TopicReader reader = new TopicReader("outbox.event." + TYPE);
                RelayInstance relay = RelayInstance.start(
                        DB.database(),
                        "relay-cdc-loops",
                        Map.of(
                                "courier.relay.mode", "cdc",
                                "courier.relay.cdc.slot", SLOT,
                                "courier.relay.cdc.heartbeat", "300ms",
                                "courier.relay.cdc.leader-check-interval", "200ms",
                                "courier.relay.failure.backoff-max", "2s"))) {
            LoopWatch loops = new LoopWatch(relay, Duration.ofSeconds(30), Duration.ofSeconds(90));
            publish(outbox, "before");
            reader.awaitAtLeast(1, Duration.ofSeconds(60));

            try (Connection admin = DatabaseServers.get(DB.kind()).connectAdmin();
                    Statement statement = admin.createStatement()) {
                String database = DB.database().name();
                statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                try {
                    statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + database + "' AND pid <> pg_backend_pid()");
                    loops.awaitFailing("cdc-leader", "leader election");
                    loops.awaitFailing("slot-monitor", "");
                } finally {
                    statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
                }
            }

            loops.awaitRecovered("cdc-leader");
            loops.awaitRecovered("slot-monitor");
            publish(outbox, "after");
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> reader.poll().stream()
                            .anyMatch(record ->
                                    new String(record.value(), StandardCharsets.UTF_8).contains("\"after\"")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(loops.details().path("state").asString()).isEqualTo("LEADING");
                assertThat(relay.http().health()).isEqualTo(200);
            });
        }
    }

    private static void publish(Outbox outbox, String label) throws SQLException {
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c).publish(TYPE, "k-1", "Labelled", Map.of("label", label));
            c.commit();
        }
    }
}
