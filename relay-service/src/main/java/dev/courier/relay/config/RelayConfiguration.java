package dev.courier.relay.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.courier.outbox.Database;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Relay;
import dev.courier.relay.RelayCircuits;
import dev.courier.relay.RelayProperties;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelaySchema;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.health.BacklogMonitor;
import dev.courier.relay.health.RelayHealthIndicator;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.lease.LeaseStore;
import dev.courier.relay.lease.RelayControl;
import dev.courier.relay.park.ParkedMessages;
import dev.courier.relay.park.PollingParking;
import dev.courier.relay.publish.ProducerSettings;
import dev.courier.relay.publish.PublishObservation;
import dev.courier.relay.retention.PublishedArchive;
import dev.courier.relay.retention.RetentionPruner;
import dev.courier.relay.source.OutboxSource;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ProducerFactory;

/** What every mode shares: the relay's tables on Spring Boot's pool, the Kafka producer, circuits, metrics, health. */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    @Bean
    RelayTables relayTables(RelayProperties properties) {
        return new RelayTables(properties.outbox().table());
    }

    @Bean
    Database relayDatabase(DataSource dataSource, RelayProperties properties, RelayTables tables) {
        if (dataSource instanceof HikariDataSource pool && pool.getMaximumPoolSize() < 2) {
            throw new IllegalArgumentException("spring.datasource.hikari.maximum-pool-size must be at least 2 (the"
                    + " relay fetches and renews leases at once), was " + pool.getMaximumPoolSize());
        }
        Database database = Database.of(dataSource);
        if (properties.outbox().migrate()) {
            RelaySchema.migrate(dataSource, database, tables);
        }
        return database;
    }

    @Bean
    PublishedArchive publishedArchive(DataSource dataSource, Database database, RelayTables tables) {
        return new PublishedArchive(new Jdbc(dataSource), SqlDialect.of(database), tables);
    }

    @Bean(destroyMethod = "close")
    RetentionPruner retentionPruner(PublishedArchive archive, RelayProperties properties, RelayMetrics metrics) {
        Duration retention = properties.outbox().retention();
        // No loop without a retention: a loop that never runs would report DOWN.
        return retention.isPositive() ? new RetentionPruner(archive, retention, metrics.loop("retention")) : null;
    }

    @Bean
    RelayStores relayStores(
            DataSource dataSource,
            Database database,
            RelayTables tables,
            PublishedArchive archive,
            RelayProperties properties) {
        SqlDialect dialect = SqlDialect.of(database);
        Jdbc jdbc = new Jdbc(dataSource);
        Optional<PublishedArchive> retained = properties.outbox().retains() ? Optional.of(archive) : Optional.empty();
        return new RelayStores(
                new OutboxSource(jdbc, dialect, tables, retained),
                new ParkedMessages(jdbc, dialect, tables),
                new PollingParking(jdbc, dialect, tables),
                new LeaseStore(jdbc, dialect, tables),
                new RelayControl(jdbc, dialect, tables),
                retained);
    }

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry) {
        return new RelayMetrics(registry);
    }

    /**
     * The relay's own producer, from the settings Spring Boot resolved for {@code spring.kafka.*} (connection
     * details, SSL bundle and SASL included) with the relay's rules on top.
     */
    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> relayProducer(RelayProperties properties, ProducerFactory<?, ?> springKafka) {
        return new KafkaProducer<>(ProducerSettings.of(
                springKafka.getConfigurationProperties(), properties.failure().sendTimeout()));
    }

    /**
     * Each record's publish observed, continuing the trace of its outbox row (spans through Spring Boot's
     * OpenTelemetry support, timers through its metrics); by default only rows that carry a trace context in one of
     * the propagator's headers ({@code traceparent} and {@code tracestate} without one).
     */
    @Bean
    PublishObservation publishObservation(
            RelayProperties properties,
            ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<Propagator> propagator) {
        List<String> traceHeaders = propagator.getIfAvailable(() -> Propagator.NOOP).fields().stream()
                .toList();
        return new PublishObservation(
                observations.getIfAvailable(() -> ObservationRegistry.NOOP),
                properties.tracing().messages(),
                traceHeaders.isEmpty() ? List.of("traceparent", "tracestate") : traceHeaders);
    }

    /** The producer's own metrics ({@code kafka.producer.*}: sends, errors, retries, latency, buffer). */
    @Bean(destroyMethod = "close")
    KafkaClientMetrics relayProducerMetrics(Producer<byte[], byte[]> producer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** The circuits, with Resilience4j's metrics ({@code resilience4j.circuitbreaker.state{name,state}}, ...). */
    @Bean
    RelayCircuits relayCircuits(RelayProperties properties, MeterRegistry registry) {
        RelayProperties.Failure failure = properties.failure();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(failure.backoff())
                .build();
        CircuitBreakerRegistry circuits = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuits).bindTo(registry);
        return new RelayCircuits(circuits.circuitBreaker("kafka"), circuits.circuitBreaker("database"));
    }

    @Bean(destroyMethod = "close")
    BacklogMonitor backlogMonitor(RelayStores stores, RelayMetrics metrics) {
        return new BacklogMonitor(
                stores.outbox(), stores.parked(), metrics.registry(), metrics.loop("backlog"), Duration.ofSeconds(5));
    }

    @Bean
    RelayHealthIndicator relayHealthIndicator(
            Relay relay, RelayCircuits circuits, BacklogMonitor backlog, RelayMetrics metrics) {
        return new RelayHealthIndicator(relay, circuits, backlog, metrics);
    }
}
