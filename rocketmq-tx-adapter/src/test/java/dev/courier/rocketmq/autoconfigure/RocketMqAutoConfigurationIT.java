package dev.courier.rocketmq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import dev.courier.rocketmq.TransactionOutcome;
import dev.courier.rocketmq.TransactionalMessage;
import dev.courier.rocketmq.TransactionalSendResult;
import dev.courier.rocketmq.TransactionalSender;
import dev.courier.rocketmq.fence.FenceRetention;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class RocketMqAutoConfigurationIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String TOPIC = "courier-boot-" + UUID.randomUUID().toString().substring(0, 8);

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    RocketMqAutoConfiguration.class))
            .withPropertyValues(
                    "spring.datasource.url=" + DB.database().jdbcUrl(),
                    "spring.datasource.username=" + DB.database().user(),
                    "spring.datasource.password=" + DB.database().password());

    @Test
    void sendsWithASpringManagedLocalTransactionAndRefusesToJoinARunningOne() {
        EmbeddedRocketMq.createTopic(TOPIC);
        runner.withPropertyValues(
                        "courier.rocketmq.name-server=" + EmbeddedRocketMq.nameServer(),
                        "courier.rocketmq.group=boot-"
                                + UUID.randomUUID().toString().substring(0, 8),
                        "courier.rocketmq.topics=" + TOPIC)
                .run(context -> {
                    assertThat(context).hasSingleBean(TransactionalSender.class).hasSingleBean(FenceRetention.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    jdbc.execute("CREATE TABLE boot_orders (id varchar(64) PRIMARY KEY)");
                    TransactionalSender sender = context.getBean(TransactionalSender.class);

                    // The work uses JdbcTemplate: it joins the local transaction Spring began for the message.
                    TransactionalSendResult<Integer> result = sender.send(
                            TransactionalMessage.of(TOPIC, "o-1", "placed".getBytes(StandardCharsets.UTF_8)),
                            connection -> jdbc.update("INSERT INTO boot_orders (id) VALUES ('o-1')"));
                    assertThat(result.outcome()).isEqualTo(TransactionOutcome.COMMITTED);
                    assertThat(jdbc.queryForObject(
                                    "SELECT status FROM courier_tx_fence WHERE tx_id = ?",
                                    String.class,
                                    result.transactionId()))
                            .isEqualTo("COMMITTED");

                    TransactionTemplate outer = new TransactionTemplate(
                            context.getBean(org.springframework.transaction.PlatformTransactionManager.class));
                    assertThatThrownBy(() -> outer.executeWithoutResult(status -> sender.send(
                                    TransactionalMessage.of(TOPIC, "o-2", "x".getBytes(StandardCharsets.UTF_8)),
                                    connection -> jdbc.update("INSERT INTO boot_orders (id) VALUES ('o-2')"))))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("outside a running transaction");
                    assertThat(jdbc.queryForObject("SELECT count(*) FROM boot_orders", Integer.class))
                            .isEqualTo(1);

                    HealthIndicator health =
                            context.getBean("transactionalSenderHealthIndicator", HealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void needsANameServerAndFailsStartUpOnBadSettingsNamingTheProperty() {
        runner.run(context -> assertThat(context).doesNotHaveBean(TransactionalSender.class));
        runner.withPropertyValues("courier.rocketmq.name-server=127.0.0.1:9876")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("courier.rocketmq.group is required"));
        runner.withPropertyValues(
                        "courier.rocketmq.name-server=127.0.0.1:9876",
                        "courier.rocketmq.group=g",
                        "courier.rocketmq.fence.retention=10m")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("courier.rocketmq.fence.retention must be at least 1h"));
    }

    @Test
    void withoutFlywayStartsOnAnAppliedSchemaAndNamesTheScriptOtherwise() throws Exception {
        ApplicationContextRunner withoutFlyway = runner.withClassLoader(new FilteredClassLoader(Flyway.class))
                .withPropertyValues(
                        "courier.rocketmq.name-server=" + EmbeddedRocketMq.nameServer(),
                        "courier.rocketmq.group=noflyway-"
                                + UUID.randomUUID().toString().substring(0, 8),
                        "courier.rocketmq.fence.table=noflyway_fence");
        withoutFlyway.run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("The RocketMQ fence table noflyway_fence cannot be read")
                .hasStackTraceContaining("V1__transaction_fence.sql"));

        // As a user with another migration tool would: the shipped script, its placeholder replaced.
        String script = new String(
                        getClass()
                                .getResourceAsStream("/db/courier/rocketmq/postgresql/V1__transaction_fence.sql")
                                .readAllBytes(),
                        StandardCharsets.UTF_8)
                .replace("${fence_table}", "noflyway_fence");
        new JdbcTemplate(DB.dataSource()).execute(script);
        withoutFlyway.run(context -> assertThat(context).hasNotFailed().hasSingleBean(TransactionalSender.class));
    }

    @Test
    void aManagerOfAnotherResourceOnlyFailsStartUpNamingIt() {
        runner.withPropertyValues(
                        "courier.rocketmq.name-server=" + EmbeddedRocketMq.nameServer(),
                        "courier.rocketmq.group=g-"
                                + UUID.randomUUID().toString().substring(0, 8))
                .withBean(
                        "otherDatabaseTm",
                        PlatformTransactionManager.class,
                        () -> new DataSourceTransactionManager(new SimpleDriverDataSource()))
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("otherDatabaseTm"));
    }
}
