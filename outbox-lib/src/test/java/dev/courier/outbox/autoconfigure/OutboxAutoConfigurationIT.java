package dev.courier.outbox.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.PayloadSerializer;
import dev.courier.outbox.TraceHeaders;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxRetention;
import dev.courier.outbox.kafka.KafkaInbox;
import dev.courier.outbox.tracing.MicrometerTraceHeaders;
import dev.courier.outbox.tracing.OtelTestTracing;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

class OutboxAutoConfigurationIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    OutboxAutoConfiguration.class))
            .withPropertyValues(
                    "spring.datasource.url=" + DB.database().jdbcUrl(),
                    "spring.datasource.username=" + DB.database().user(),
                    "spring.datasource.password=" + DB.database().password());

    @Test
    void migratesTheSchemaAndPublishesFromATransactionalMethod() {
        runner.withUserConfiguration(OrderServiceConfiguration.class)
                .withPropertyValues("courier.outbox.table=app_outbox", "courier.outbox.inbox.table=app_inbox")
                .run(context -> {
                    assertThat(context).hasSingleBean(Outbox.class).hasSingleBean(Inbox.class);
                    assertThat(context).hasSingleBean(InboxRetention.class);
                    context.getBean(OrderService.class).placeOrder("o-1");

                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("SELECT aggregateid FROM app_outbox", String.class))
                            .isEqualTo("o-1");
                    // The migration itself, once; other tests of this class may have put tables into the database
                    // first, and Flyway then records a baseline row before it.
                    assertThat(jdbc.queryForObject(
                                    "SELECT COUNT(*) FROM app_outbox_schema_history WHERE success AND type = 'SQL'",
                                    Integer.class))
                            .isEqualTo(1);
                    assertThat(context.getBean(Inbox.class)
                                    .receive("m-1", connection -> "done")
                                    .value())
                            .isEqualTo("done");
                    assertThat(jdbc.queryForObject("SELECT consumer FROM app_inbox", String.class))
                            .isEqualTo("default");
                });
    }

    @Test
    void theKafkaInboxReadsTheConfiguredIdHeaderAndRecordsThroughTheInbox() {
        runner.withPropertyValues("courier.outbox.inbox.id-header=message-id", "courier.outbox.inbox.consumer=billing")
                .run(context -> {
                    ConsumerRecord<String, String> record = new ConsumerRecord<>("payments", 0, 1L, "k", "{}");
                    record.headers().add("message-id", "m-kafka".getBytes(StandardCharsets.UTF_8));

                    KafkaInbox inbox = context.getBean(KafkaInbox.class);

                    assertThat(inbox.receive(record, connection -> "applied").value())
                            .isEqualTo("applied");
                    assertThat(inbox.receive(record, connection -> "again").isDuplicate())
                            .isTrue();
                    assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                                    .queryForObject(
                                            "SELECT consumer FROM courier_inbox WHERE message_id = 'm-kafka'",
                                            String.class))
                            .isEqualTo("billing");
                });
    }

    @Test
    void badConfigurationFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("courier.outbox.partitions=0")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("courier.outbox.partitions must be between 1 and 4096, was 0"));
        runner.withPropertyValues("courier.outbox.table=orders; DROP TABLE x")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("courier.outbox.table must be a plain SQL identifier"));
        runner.withPropertyValues("courier.outbox.inbox.retention=0s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("courier.outbox.inbox.retention must be a positive duration"));
    }

    @Test
    void backsOffWhenDisabledOrWhenTheApplicationDefinesItsOwnBeans() {
        runner.withPropertyValues("courier.outbox.enabled=false")
                .run(context ->
                        assertThat(context).doesNotHaveBean(Outbox.class).doesNotHaveBean(Inbox.class));
        runner.withPropertyValues("courier.outbox.inbox.cleanup-enabled=false", "courier.outbox.schema.migrate=false")
                .run(context -> assertThat(context)
                        .hasSingleBean(Outbox.class)
                        .doesNotHaveBean(InboxRetention.class)
                        .doesNotHaveBean(OutboxSchemaMigration.class));
        runner.withBean(PayloadSerializer.class, () -> payload -> "custom".getBytes(StandardCharsets.UTF_8))
                .withPropertyValues("courier.outbox.table=custom_outbox", "courier.outbox.inbox.table=custom_inbox")
                .withUserConfiguration(OrderServiceConfiguration.class)
                .run(context -> {
                    context.getBean(OrderService.class).placeOrder("o-2");
                    byte[] payload = context.getBean(JdbcTemplate.class)
                            .queryForObject("SELECT payload FROM custom_outbox", byte[].class);
                    assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("custom");
                });
    }

    @Test
    void twoManagersOfTheOutboxDataSourceAndNonePrimaryFailStartUpNamingThem() {
        runner.withUserConfiguration(TwoManagersConfiguration.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("Several transaction managers manage the outbox's DataSource")
                        .hasMessageContaining("firstTm")
                        .hasMessageContaining("secondTm"));
    }

    @Test
    void usesTheManagerOfTheOutboxDataSourceBesideAnotherResourcesManager() {
        runner.withUserConfiguration(ManagerAndOtherResourceConfiguration.class)
                .withPropertyValues("courier.outbox.table=paired_outbox", "courier.outbox.inbox.table=paired_inbox")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(QualifiedOrderService.class).placeOrder("o-4");
                    assertThat(context.getBean(JdbcTemplate.class)
                                    .queryForObject("SELECT count(*) FROM paired_outbox", Long.class))
                            .isEqualTo(1);
                });
    }

    @Test
    void onlyAManagerOfAnotherResourceFailsStartUpNamingIt() {
        runner.withBean(
                        "kafkaTm",
                        PlatformTransactionManager.class,
                        () -> new DataSourceTransactionManager(new SimpleDriverDataSource()))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("None of the transaction managers")
                        .hasMessageContaining("kafkaTm"));
    }

    @Test
    void startsWithoutFlywayOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(Flyway.class))
                .withPropertyValues("courier.outbox.table=noflyway_outbox", "courier.outbox.inbox.table=noflyway_inbox")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(Outbox.class)
                        .doesNotHaveBean(OutboxSchemaMigration.class));
    }

    @Test
    void observesTheWriteAndCarriesItsSpanThroughTheTracersPropagator() {
        OtelTestTracing tracing = new OtelTestTracing();
        runner.withBean(Tracer.class, () -> tracing.tracer)
                .withBean(Propagator.class, () -> tracing.propagator)
                .withBean(ObservationRegistry.class, () -> tracing.observations)
                .withPropertyValues("courier.outbox.table=traced_outbox", "courier.outbox.inbox.table=traced_inbox")
                .withUserConfiguration(OrderServiceConfiguration.class)
                .run(context -> {
                    assertThat(context.getBean(TraceHeaders.class)).isInstanceOf(MicrometerTraceHeaders.class);
                    Span span = tracing.tracer.nextSpan().name("place-order").start();
                    try (Tracer.SpanInScope scope = tracing.tracer.withSpan(span)) {
                        context.getBean(OrderService.class).placeOrder("o-3");
                    } finally {
                        span.end();
                    }
                    SpanData publish = tracing.finished("outbox publish");
                    assertThat(publish.getParentSpanId())
                            .isEqualTo(span.context().spanId());
                    String headers = context.getBean(JdbcTemplate.class)
                            .queryForObject("SELECT headers::text FROM traced_outbox", String.class);
                    assertThat(headers)
                            // Flags 01 (sampled), or 03 with W3C level 2's random trace id flag.
                            .containsPattern("\"traceparent\": \"00-" + publish.getTraceId() + "-" + publish.getSpanId()
                                    + "-0[13]\"");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.transaction.annotation.EnableTransactionManagement
    static class OrderServiceConfiguration {

        @Bean
        JdbcTemplate jdbcTemplate(javax.sql.DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        OrderService orderService(JdbcTemplate jdbc, Outbox outbox) {
            return new OrderService(jdbc, outbox);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoManagersConfiguration {

        @Bean
        PlatformTransactionManager firstTm(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        PlatformTransactionManager secondTm(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }

    /** Two managers, none primary: the business code names its manager, as it must. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.transaction.annotation.EnableTransactionManagement
    static class ManagerAndOtherResourceConfiguration {

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        QualifiedOrderService qualifiedOrderService(JdbcTemplate jdbc, Outbox outbox) {
            return new QualifiedOrderService(jdbc, outbox);
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        PlatformTransactionManager otherDatabaseTm() {
            return new DataSourceTransactionManager(new SimpleDriverDataSource());
        }
    }

    static class QualifiedOrderService extends OrderService {

        QualifiedOrderService(JdbcTemplate jdbc, Outbox outbox) {
            super(jdbc, outbox);
        }

        @Override
        @Transactional("transactionManager")
        public void placeOrder(String id) {
            super.placeOrder(id);
        }
    }

    static class OrderService {

        private final JdbcTemplate jdbc;
        private final Outbox outbox;

        OrderService(JdbcTemplate jdbc, Outbox outbox) {
            this.jdbc = jdbc;
            this.outbox = outbox;
        }

        @Transactional
        public void placeOrder(String id) {
            jdbc.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY)");
            jdbc.update("INSERT INTO orders (id) VALUES (?)", id);
            outbox.publish("order", id, "OrderPlaced", Map.of("id", id));
        }
    }
}
