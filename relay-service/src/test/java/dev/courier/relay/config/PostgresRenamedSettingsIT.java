package dev.courier.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A deployment configured with 0.1's keys ({@code courier.relay.datasource.*}, {@code courier.relay.kafka.*}) keeps
 * running on this version, and is told at start-up what to rename.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresRenamedSettingsIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String TYPE = "renamed";

    @Test
    void aRelayConfiguredWithTheOldKeysPublishesAndSaysWhatToRename(CapturedOutput output) throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        Map<String, String> settings = new LinkedHashMap<>(RelayInstance.settings(DB.database(), "relay-renamed"));
        settings.keySet().removeIf(name -> name.startsWith("spring.datasource.") || name.startsWith("spring.kafka."));
        settings.put("courier.relay.datasource.url", DB.database().jdbcUrl());
        settings.put("courier.relay.datasource.username", DB.database().user());
        settings.put("courier.relay.datasource.password", DB.database().password());
        settings.put("courier.relay.datasource.maximum-pool-size", "3");
        settings.put("courier.relay.kafka.bootstrap-servers", EmbeddedKafka.bootstrapServers());
        settings.put("courier.relay.kafka.producer.client.id", "renamed-relay");
        String key = "renamed-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader("outbox.event." + TYPE);
                RelayInstance relay = RelayInstance.start(settings)) {
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Outbox.builder(DB.dataSource())
                        .build()
                        .on(c)
                        .publish(new OutboxMessage(
                                TYPE, key, "Renamed", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
                c.commit();
            }

            assertThat(reader.awaitAtLeast(1, Duration.ofSeconds(60)))
                    .extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                    .containsExactly(key);
            HikariDataSource pool = (HikariDataSource) relay.bean(DataSource.class);
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
            assertThat(pool.getPoolName()).isEqualTo("courier-relay");
            assertThat(pool.getTransactionIsolation()).isEqualTo("TRANSACTION_READ_COMMITTED");
        }
        assertThat(output.getOut())
                .contains("courier.relay.datasource.url is deprecated and will be removed in Courier 0.3:"
                        + " use spring.datasource.url")
                .contains("courier.relay.kafka.bootstrap-servers is deprecated and will be removed in Courier 0.3:"
                        + " use spring.kafka.bootstrap-servers")
                .contains("use spring.kafka.producer.properties[client.id]");
    }
}
