package dev.courier.relay.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.ops.OpsMetrics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every relay metric the repository's alert rules and Grafana dashboard use ({@code ops/}) is in a real scrape of a
 * relay in cdc mode (the mode with the most metrics) that has published: the Kafka producer's client metrics and
 * Resilience4j's circuit states included. An alert on a metric nobody exposes would never fire.
 */
class PostgresOpsMetricsIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_ops_it");
    static final String TYPE = "ops";

    @AfterEach
    void dropSlot() {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    @Test
    void everyMetricOfTheAlertsAndTheDashboardIsScraped() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        Set<String> referenced = OpsMetrics.referenced("courier_relay_", "resilience4j_", "kafka_producer_");
        assertThat(referenced).contains("courier_relay_parked", "resilience4j_circuitbreaker_state");
        try (TopicReader reader = new TopicReader("outbox.event." + TYPE);
                RelayInstance relay = RelayInstance.start(
                        DB.database(),
                        "relay-ops",
                        Map.of("courier.relay.mode", "cdc", "courier.relay.cdc.slot", SLOT))) {
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Outbox.builder(DB.dataSource())
                        .build()
                        .on(c)
                        .publish(new OutboxMessage(
                                TYPE, "o-1", "Checked", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
                c.commit();
            }
            reader.awaitAtLeast(1, Duration.ofSeconds(60));

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    OpsMetrics.scraped(relay.get("/actuator/prometheus", RelayInstance.TOKEN)
                                            .body()))
                            .containsAll(referenced));
        }
    }
}
