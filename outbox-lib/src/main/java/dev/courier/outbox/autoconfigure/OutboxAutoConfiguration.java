package dev.courier.outbox.autoconfigure;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.PayloadSerializer;
import dev.courier.outbox.TraceHeaders;
import dev.courier.outbox.Transactions;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxRetention;
import dev.courier.outbox.internal.DataSourceTransactions;
import dev.courier.outbox.kafka.KafkaInbox;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.spring.SpringTransactions;
import dev.courier.outbox.spring.TransactionManagerLookup;
import dev.courier.outbox.tracing.MicrometerTraceHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/** Creates the {@link Outbox} and {@link Inbox} on the application's single {@link DataSource}. */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConditionalOnClass({DataSourceUtils.class, PlatformTransactionManager.class})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "courier.outbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
public final class OutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Database courierDatabase(DataSource dataSource) {
        return Database.of(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    Transactions courierTransactions(DataSource dataSource, ListableBeanFactory beans) {
        return TransactionManagerLookup.forDataSource(dataSource, beans)
                .<Transactions>map(manager -> new SpringTransactions(dataSource, manager))
                .orElseGet(() -> new DataSourceTransactions(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    PayloadSerializer outboxPayloadSerializer(ObjectProvider<JsonMapper> jsonMapper) {
        JsonMapper mapper = jsonMapper.getIfUnique();
        return mapper != null ? PayloadSerializer.json(mapper) : PayloadSerializer.json();
    }

    @Bean
    @ConditionalOnMissingBean
    TraceHeaders outboxTraceHeaders() {
        return TraceHeaders.NONE;
    }

    @Bean
    @ConditionalOnMissingBean
    Outbox outbox(
            DataSource dataSource,
            OutboxProperties properties,
            Database database,
            Transactions transactions,
            PayloadSerializer serializer,
            TraceHeaders traceHeaders,
            ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<OutboxSchemaMigration> migration) {
        migration.ifAvailable(OutboxSchemaMigration::ensureMigrated);
        Outbox.Builder builder = Outbox.builder(dataSource)
                .database(database)
                .table(properties.table())
                .partitions(properties.partitions())
                .maxPayloadBytes(properties.maxPayloadSize().toBytes())
                .wakeUp(properties.wakeUp().enabled())
                .wakeUpInterval(properties.wakeUp().interval())
                .deleteAfterInsert(properties.deleteAfterInsert())
                .transactions(transactions)
                .serializer(serializer)
                .traceHeaders(traceHeaders)
                .observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP))
                .meterRegistry(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
        if (properties.wakeUp().channel() != null) {
            builder.wakeUpChannel(properties.wakeUp().channel());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    Inbox inbox(
            DataSource dataSource,
            OutboxProperties properties,
            Database database,
            Transactions transactions,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<OutboxSchemaMigration> migration) {
        migration.ifAvailable(OutboxSchemaMigration::ensureMigrated);
        return Inbox.builder(dataSource)
                .database(database)
                .table(properties.inbox().table())
                .consumer(properties.inbox().consumer())
                .transactions(transactions)
                .meterRegistry(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry))
                .build();
    }

    /** With the Kafka client on the class path: the inbox for Kafka records, keyed by the relay's id header. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConsumerRecord.class)
    static class KafkaInboxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaInbox kafkaInbox(Inbox inbox, OutboxProperties properties) {
            return new KafkaInbox(inbox, properties.inbox().consumer())
                    .withIdHeader(properties.inbox().idHeader());
        }
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "courier.outbox.inbox.cleanup-enabled", matchIfMissing = true)
    InboxRetention inboxRetention(Inbox inbox, OutboxProperties properties) {
        return new InboxRetention(
                inbox, properties.inbox().retention(), properties.inbox().cleanupInterval(), Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnBooleanProperty(name = "courier.outbox.schema.migrate", matchIfMissing = true)
    static class SchemaMigrationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        OutboxSchemaMigration outboxSchemaMigration(
                DataSource dataSource, Database database, OutboxProperties properties) {
            return new OutboxSchemaMigration(
                    dataSource,
                    new OutboxSchema(
                            database, properties.table(), properties.inbox().table()));
        }
    }

    /** With Micrometer Tracing: the current span's headers, written by the tracer's own propagator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tracer.class)
    static class TracingConfiguration {

        @Bean
        @ConditionalOnBean({Tracer.class, Propagator.class})
        @ConditionalOnMissingBean
        TraceHeaders micrometerTraceHeaders(Tracer tracer, Propagator propagator) {
            return new MicrometerTraceHeaders(tracer, propagator);
        }
    }
}
