package dev.courier.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.localservices.kafka.KafkaProcess;
import dev.courier.localservices.kafka.SaslUser;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker that accepts SASL/PLAIN clients only, as production clusters do: the relay reaches it with nothing but
 * Spring Boot's {@code spring.kafka.*} security settings, and a client without a login is refused.
 */
class PostgresSaslKafkaIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final SaslUser USER = new SaslUser("courier-relay", "relay-" + UUID.randomUUID());
    static final String TYPE = "secured";

    static KafkaProcess kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaProcess.startSaslOnly(USER);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void publishesThroughSpringKafkaSecuritySettings() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        String key = "secured-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader("outbox.event." + TYPE, kafka.clientSettings());
                RelayInstance relay = RelayInstance.start(
                        DB.database(),
                        "relay-sasl",
                        Map.of(
                                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                                "spring.kafka.security.protocol", "SASL_PLAINTEXT",
                                "spring.kafka.properties.sasl.mechanism", "PLAIN",
                                "spring.kafka.properties.sasl.jaas.config", USER.jaasConfig(),
                                "spring.kafka.client-id", "relay-sasl-it"))) {
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Outbox.builder(DB.dataSource())
                        .build()
                        .on(c)
                        .publish(new OutboxMessage(
                                TYPE, key, "Secured", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
                c.commit();
            }

            assertThat(reader.awaitAtLeast(1, Duration.ofSeconds(60)))
                    .extracting(ConsumerRecord::key)
                    .extracting(bytes -> new String(bytes, StandardCharsets.UTF_8))
                    .containsExactly(key);
            assertThat(relay.http().health()).isEqualTo(200);
        }
    }

    @Test
    void theBrokerRefusesAClientWithoutALogin() {
        try (Admin anonymous = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000))) {
            assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, TimeoutException.class);
        }
        try (Admin logged = Admin.create(kafka.clientSettings())) {
            assertThat(logged.describeCluster().nodes())
                    .succeedsWithin(Duration.ofSeconds(10))
                    .asInstanceOf(InstanceOfAssertFactories.COLLECTION)
                    .hasSize(1);
        }
    }
}
