package dev.courier.relay.polling;

import dev.courier.outbox.Database;
import dev.courier.relay.DefaultMember;
import dev.courier.relay.RelayCircuits;
import dev.courier.relay.RelayException;
import dev.courier.relay.RelayProperties;
import dev.courier.relay.cdc.AbandonedSlotReaper;
import dev.courier.relay.config.RelayStores;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.engine.EngineSettings;
import dev.courier.relay.engine.RelayEngine;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.lease.LeaseCoordinator;
import dev.courier.relay.publish.BatchSender;
import dev.courier.relay.publish.PublishObservation;
import dev.courier.relay.publish.RecordMapper;
import dev.courier.relay.publish.TopicRouter;
import dev.courier.relay.source.OutboxSource;
import dev.courier.relay.wakeup.NotifyListener;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires polling mode from {@code courier.relay.*} (the default mode). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "courier.relay", name = "mode", havingValue = "polling", matchIfMissing = true)
class PollingRelayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PollingRelayConfiguration.class);
    private static final Duration ABANDONED_SLOT_CHECK = Duration.ofSeconds(30);

    @Bean(destroyMethod = "close")
    PollingRelay pollingRelay(
            RelayProperties properties,
            Database database,
            RelayStores stores,
            Producer<byte[], byte[]> producer,
            RelayMetrics metrics,
            RelayCircuits circuits,
            JdbcConnectionDetails login,
            PublishObservation publishObservation) {
        checkPartitionCount(stores.outbox(), properties);
        String member = incarnation(properties.memberId() != null ? properties.memberId() : DefaultMember.name());
        RelayProperties.Kafka kafka = properties.kafka();
        RelayProperties.Poll poll = properties.poll();
        boolean listen = database == Database.POSTGRESQL && poll.listen();
        RelayEngine engine = new RelayEngine(
                member,
                stores.outbox(),
                stores.pollingParking(),
                new BatchSender(
                        producer,
                        new RecordMapper(new TopicRouter(kafka.topicPrefix(), kafka.topics()), kafka.idHeader()),
                        publishObservation),
                metrics,
                circuits.kafka(),
                circuits.database(),
                new EngineSettings(
                        poll.batchSize(),
                        poll.safetyInterval(),
                        poll.minInterval(),
                        !listen,
                        properties.failure().maxAttempts(),
                        properties.failure().backoff(),
                        properties.failure().sendTimeout(),
                        poll.fetchFloors()));
        LeaseCoordinator leases = new LeaseCoordinator(
                member,
                stores.leases(),
                stores.control(),
                engine,
                properties.outbox().partitions(),
                properties.lease().ttl(),
                properties.lease().renewInterval(),
                metrics.loop("leases"));
        NotifyListener listener = listen
                ? new NotifyListener(
                        login.getJdbcUrl(),
                        login.getUsername(),
                        login.getPassword(),
                        properties.outbox().notifyChannel(),
                        engine,
                        properties.failure().backoff(),
                        metrics.loop("listen"))
                : null;
        PollingRelay relay = new PollingRelay(engine, leases, listener, stores.pollingParking());
        relay.start();
        return relay;
    }

    /**
     * PostgreSQL: the slot of an earlier cdc mode is dropped while no cdc relay reads it. No bean (null) on
     * MySQL/MariaDB, which have no slots.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(
            prefix = "courier.relay.poll",
            name = "drop-abandoned-cdc-slot",
            havingValue = "true",
            matchIfMissing = true)
    AbandonedSlotReaper abandonedSlotReaper(
            RelayProperties properties,
            Database database,
            DataSource dataSource,
            RelayTables tables,
            RelayMetrics metrics) {
        if (database != Database.POSTGRESQL) {
            return null;
        }
        return new AbandonedSlotReaper(
                dataSource,
                properties.cdc().slot(),
                tables.cdcOffset(),
                ABANDONED_SLOT_CHECK,
                metrics.loop("slot-reaper"));
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

    /**
     * The lease owner of this process: the member name plus a random incarnation tag. A restarted member (same name)
     * must not adopt its predecessor's leases without a new epoch, and two processes configured with the same name by
     * mistake must not both own the same partitions.
     */
    static String incarnation(String memberName) {
        return memberName + "#" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }
}
