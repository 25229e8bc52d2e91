package dev.courier.relay.polling;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.courier.outbox.Database;
import dev.courier.relay.RelayException;
import dev.courier.relay.RelayProperties;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelaySchema;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.db.SqlDialect;
import dev.courier.relay.engine.EngineSettings;
import dev.courier.relay.engine.RelayEngine;
import dev.courier.relay.health.BacklogMonitor;
import dev.courier.relay.health.RelayHealthIndicator;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.lease.LeaseCoordinator;
import dev.courier.relay.lease.LeaseStore;
import dev.courier.relay.lease.RelayControl;
import dev.courier.relay.park.ParkingStore;
import dev.courier.relay.publish.BatchSender;
import dev.courier.relay.publish.ProducerSettings;
import dev.courier.relay.publish.RecordMapper;
import dev.courier.relay.publish.TopicRouter;
import dev.courier.relay.retention.PublishedArchive;
import dev.courier.relay.retention.RetentionPruner;
import dev.courier.relay.source.OutboxSource;
import dev.courier.relay.wakeup.NotifyListener;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires polling mode from {@code courier.relay.*}. */
@Configuration(proxyBeanMethods = false)
class PollingRelayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PollingRelayConfiguration.class);

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
    RetentionPruner retentionPruner(PublishedArchive archive, RelayProperties properties) {
        return new RetentionPruner(archive, properties.outbox().retention());
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
                new ParkingStore(jdbc, dialect, tables),
                new LeaseStore(jdbc, dialect, tables),
                new RelayControl(jdbc, dialect, tables));
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
                .waitIntervalFunctionInOpenState(backoff(failure))
                .build();
        return new RelayCircuits(CircuitBreaker.of("kafka", config), CircuitBreaker.of("database", config));
    }

    @Bean(destroyMethod = "close")
    PollingRelay pollingRelay(
            RelayProperties properties,
            Database database,
            RelayStores stores,
            Producer<byte[], byte[]> producer,
            RelayMetrics metrics,
            RelayCircuits circuits) {
        checkPartitionCount(stores.outbox(), properties);
        String member = incarnation(properties.memberId() != null ? properties.memberId() : defaultMemberName());
        RelayProperties.Kafka kafka = properties.kafka();
        RelayProperties.Poll poll = properties.poll();
        boolean listen = database == Database.POSTGRESQL && poll.listen();
        RelayEngine engine = new RelayEngine(
                member,
                stores.outbox(),
                stores.parking(),
                new BatchSender(producer, new RecordMapper(new TopicRouter(kafka.topicPrefix(), kafka.topics()))),
                metrics,
                circuits.kafka(),
                circuits.database(),
                new EngineSettings(
                        poll.batchSize(),
                        poll.safetyInterval(),
                        poll.minInterval(),
                        !listen,
                        properties.failure().maxAttempts(),
                        backoff(properties.failure()),
                        properties.failure().sendTimeout()));
        LeaseCoordinator leases = new LeaseCoordinator(
                member,
                stores.leases(),
                stores.control(),
                engine,
                properties.outbox().partitions(),
                properties.lease().ttl(),
                properties.lease().renewInterval());
        NotifyListener listener = listen
                ? new NotifyListener(
                        properties.datasource().url(),
                        properties.datasource().username(),
                        properties.datasource().password(),
                        properties.outbox().notifyChannel(),
                        engine,
                        backoff(properties.failure()))
                : null;
        PollingRelay relay = new PollingRelay(engine, leases, listener);
        relay.start();
        return relay;
    }

    @Bean(destroyMethod = "close")
    BacklogMonitor backlogMonitor(RelayStores stores, MeterRegistry registry) {
        return new BacklogMonitor(stores.outbox(), stores.parking(), registry, Duration.ofSeconds(5));
    }

    @Bean
    RelayHealthIndicator relayHealthIndicator(PollingRelay relay, RelayCircuits circuits, BacklogMonitor backlog) {
        return new RelayHealthIndicator(relay, circuits, backlog);
    }

    private static IntervalFunction backoff(RelayProperties.Failure failure) {
        return IntervalFunction.ofExponentialRandomBackoff(failure.backoffInitial(), 2.0, 0.5, failure.backoffMax());
    }

    /** Rows in partitions the relay does not know would never be published: refuse to start instead. */
    private static void checkPartitionCount(OutboxSource source, RelayProperties properties) {
        int partitions = properties.outbox().partitions();
        int highest;
        try {
            highest = source.maxPartitionPresent();
        } catch (RelayException e) {
            log.warn("Could not check the outbox's partition numbers ({}); continuing", e.getMessage());
            return;
        }
        if (highest >= partitions) {
            throw new IllegalStateException("The outbox table holds rows of partition " + highest
                    + " but courier.relay.outbox.partitions is " + partitions
                    + "; it must equal the writers' courier.outbox.partitions");
        }
    }

    private static String defaultMemberName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "relay";
        }
        String name = host + "-" + ProcessHandle.current().pid();
        return name.length() <= RelayProperties.MEMBER_ID_MAX
                ? name
                : name.substring(name.length() - RelayProperties.MEMBER_ID_MAX);
    }

    /**
     * The lease owner of this process: the member name plus a random incarnation tag. A restarted member (same name)
     * must not adopt its predecessor's leases without a new epoch, and two processes configured with the same name by
     * mistake must not both own the same partitions.
     */
    static String incarnation(String memberName) {
        return memberName + "#" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }
}
