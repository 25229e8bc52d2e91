package dev.courier.relay.cdc;

import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.DefaultMember;
import dev.courier.relay.RelayCircuits;
import dev.courier.relay.RelayProperties;
import dev.courier.relay.config.RelayStores;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.health.RelayMetrics;
import dev.courier.relay.park.CdcParking;
import dev.courier.relay.publish.BatchSender;
import dev.courier.relay.publish.PublishObservation;
import dev.courier.relay.publish.RecordMapper;
import dev.courier.relay.publish.TopicRouter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires cdc mode from {@code courier.relay.*}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "courier.relay", name = "mode", havingValue = "cdc")
class CdcRelayConfiguration {

    /** A non-transactional logical decoding message: WAL the slot's reader sees, in no table. */
    static final String HEARTBEAT_QUERY = "SELECT pg_logical_emit_message(false, 'courier-heartbeat', '')";

    @Bean(destroyMethod = "close")
    CdcRelay cdcRelay(
            RelayProperties properties,
            DataSource dataSource,
            RelayTables tables,
            RelayStores stores,
            Producer<byte[], byte[]> producer,
            RelayMetrics metrics,
            RelayCircuits circuits,
            JdbcConnectionDetails login,
            PublishObservation publishObservation) {
        if (!login.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("courier.relay.mode=cdc needs PostgreSQL (logical decoding with"
                    + " pgoutput); use polling mode with spring.datasource.url=" + login.getJdbcUrl());
        }
        RelayProperties.Kafka kafka = properties.kafka();
        RelayProperties.Cdc cdc = properties.cdc();
        OutboxChangeHandler handler = new OutboxChangeHandler(
                properties.outbox().table(),
                new BatchSender(
                        producer,
                        new RecordMapper(new TopicRouter(kafka.topicPrefix(), kafka.topics()), kafka.idHeader()),
                        publishObservation),
                stores.outbox(),
                metrics,
                circuits.kafka(),
                circuits.database(),
                properties.failure().backoff(),
                new ParkedKeys(
                        new CdcParking(new Jdbc(dataSource), SqlDialect.POSTGRESQL, tables),
                        metrics,
                        properties.failure().maxAttempts()));
        String member = properties.memberId() != null ? properties.memberId() : DefaultMember.name();
        ReplicationSlot slot = new ReplicationSlot(new Jdbc(dataSource), cdc.slot(), tables.cdcOffset());
        SlotMonitor slotMonitor = new SlotMonitor(slot, cdc.slotInactiveTimeout(), Clock.systemUTC());
        CdcRelay relay = new CdcRelay(
                member,
                engineProperties(properties, login, tables),
                handler,
                new LeaderLock(login.getJdbcUrl(), login.getUsername(), login.getPassword(), cdc.slot()),
                slot,
                slotMonitor,
                stores.parked(),
                cdc.leaderCheckInterval(),
                properties.failure().backoff(),
                metrics.loop("cdc-leader"),
                metrics.loop("slot-monitor"));
        registerMetrics(metrics.registry(), relay, handler, slotMonitor);
        relay.start();
        return relay;
    }

    private static void registerMetrics(
            MeterRegistry registry, CdcRelay relay, OutboxChangeHandler handler, SlotMonitor slotMonitor) {
        for (CdcRelay.State state : CdcRelay.State.values()) {
            Gauge.builder("courier.relay.cdc.state", relay, current -> current.state() == state ? 1 : 0)
                    .description("1 for the state this instance's engine is in: STANDBY, LEADING, FAILED, STOPPED")
                    .tag("state", state.name())
                    .register(registry);
        }
        Gauge.builder("courier.relay.cdc.last.event.age", handler, OutboxChangeHandler::secondsSinceLastEvent)
                .description("Time since the change stream delivered its last event (heartbeats included);"
                        + " NaN before the first")
                .baseUnit("seconds")
                .register(registry);
        slotMonitor.registerMetrics(registry);
    }

    /** Debezium's PostgreSQL connector reading the outbox's inserts, offsets in the outbox database. */
    static Properties engineProperties(RelayProperties properties, JdbcConnectionDetails login, RelayTables tables) {
        RelayProperties.Cdc cdc = properties.cdc();
        URI server = URI.create(login.getJdbcUrl().substring("jdbc:".length()));
        String database = server.getPath().replaceFirst("^/", "");
        String table = cdc.schema() + "." + tables.outbox();
        Properties engine = new Properties();
        engine.setProperty("name", "courier-cdc-" + cdc.slot());
        engine.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        engine.setProperty("offset.storage", DatabaseOffsetStore.class.getName());
        engine.setProperty(DatabaseOffsetStore.URL, login.getJdbcUrl());
        engine.setProperty(DatabaseOffsetStore.USER, login.getUsername());
        if (login.getPassword() != null) {
            engine.setProperty(DatabaseOffsetStore.PASSWORD, login.getPassword());
        }
        engine.setProperty(DatabaseOffsetStore.TABLE, tables.cdcOffset());
        // Offsets are written after every batch: the relay marks events processed only once Kafka acknowledged them,
        // so a restart re-delivers at most the batches in flight (the one being sent, the one being completed).
        engine.setProperty("offset.flush.interval.ms", "0");
        engine.setProperty("offset.flush.timeout.ms", "10000");
        engine.setProperty("database.hostname", server.getHost());
        engine.setProperty("database.port", Integer.toString(server.getPort() > 0 ? server.getPort() : 5432));
        engine.setProperty("database.dbname", database);
        engine.setProperty("database.user", login.getUsername());
        if (login.getPassword() != null) {
            engine.setProperty("database.password", login.getPassword());
        }
        engine.setProperty("topic.prefix", "courier");
        engine.setProperty("plugin.name", "pgoutput");
        engine.setProperty("slot.name", cdc.slot());
        engine.setProperty("publication.name", tables.publication());
        // The publication comes from the relay's migration (publish = 'insert'); Debezium must not alter it.
        engine.setProperty("publication.autocreate.mode", "disabled");
        engine.setProperty("table.include.list", table.replace(".", "\\."));
        // A new slot starts with a snapshot of the rows still unpublished (e.g. left by polling mode), in
        // insertion order, then streams from the slot's consistent point.
        engine.setProperty("snapshot.mode", "initial");
        engine.setProperty("snapshot.select.statement.overrides", table);
        engine.setProperty("snapshot.select.statement.overrides." + table, "SELECT * FROM " + table + " ORDER BY seq");
        engine.setProperty("binary.handling.mode", "bytes");
        engine.setProperty("tombstones.on.delete", "false");
        // A quiet outbox in a busy database: the heartbeat writes a logical message into the WAL, which reaches the
        // engine as an event, so that the slot's confirmed position moves on and the server can recycle the WAL.
        engine.setProperty(
                "heartbeat.interval.ms", Long.toString(cdc.heartbeat().toMillis()));
        engine.setProperty("heartbeat.action.query", HEARTBEAT_QUERY);
        engine.setProperty("poll.interval.ms", Long.toString(cdc.pollInterval().toMillis()));
        engine.setProperty("max.batch.size", Integer.toString(cdc.maxBatchSize()));
        engine.setProperty("max.queue.size", Integer.toString(cdc.maxBatchSize() * 4));
        // A killed leader's walsender may linger a moment: retry the slot briefly instead of failing.
        engine.setProperty("slot.max.retries", "30");
        engine.setProperty("slot.retry.delay.ms", "1000");
        engine.setProperty("status.update.interval.ms", "1000");
        // Records are handed over one batch at a time, in order.
        engine.setProperty("record.processing.order", "ORDERED");
        cdc.debezium().forEach(engine::setProperty);
        return engine;
    }
}
