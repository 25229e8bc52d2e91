package dev.courier.relay.config;

import com.zaxxer.hikari.HikariConfig;
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
import dev.courier.relay.retention.PublishedArchive;
import dev.courier.relay.retention.RetentionPruner;
import dev.courier.relay.source.OutboxSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every mode shares: the database pool and the relay's tables, the Kafka producer, circuits, metrics, health. */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource relayDataSource(RelayProperties properties) {
        RelayProperties.Datasource settings = properties.datasource();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setPoolName("courier-relay");
        // PostgreSQL's default, and on MySQL/MariaDB it keeps the relay from taking gap locks in the outbox (the
        // archive's INSERT ... SELECT reads without locks under READ COMMITTED): writers are never blocked by it.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Start even while the database is down: the relay waits for it like for any other outage.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    @Bean
    RelayTables relayTables(RelayProperties properties) {
        return new RelayTables(properties.outbox().table());
    }

    @Bean
    Database relayDatabase(DataSource dataSource, RelayProperties properties, RelayTables tables) {
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

    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> relayProducer(RelayProperties properties) {
        RelayProperties.Kafka kafka = properties.kafka();
        return new KafkaProducer<>(ProducerSettings.of(
                kafka.bootstrapServers(), kafka.producer(), properties.failure().sendTimeout()));
    }

    @Bean
    RelayCircuits relayCircuits(RelayProperties properties) {
        RelayProperties.Failure failure = properties.failure();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(failure.backoff())
                .build();
        return new RelayCircuits(CircuitBreaker.of("kafka", config), CircuitBreaker.of("database", config));
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
