package dev.courier.outbox.internal;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.PayloadSerializer;
import dev.courier.outbox.SqlIdentifiers;
import dev.courier.outbox.TraceHeaders;
import dev.courier.outbox.TraceparentSource;
import dev.courier.outbox.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** Builds a {@link JdbcOutbox}; the defaults documented on {@link Outbox.Builder} live here. */
public final class OutboxBuilder implements Outbox.Builder {

    public static final String DEFAULT_TABLE = "courier_outbox";
    public static final int DEFAULT_PARTITIONS = 32;
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    private final DataSource dataSource;
    private Database database;
    private String table = DEFAULT_TABLE;
    private int partitions = DEFAULT_PARTITIONS;
    private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private String wakeUpChannel;
    private boolean wakeUp = true;
    static final Duration MIN_WAKE_UP_INTERVAL = Duration.ofNanos(100_000);
    static final Duration MAX_WAKE_UP_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WAKE_UP_INTERVAL = Duration.ofMillis(1);
    private Duration wakeUpInterval = DEFAULT_WAKE_UP_INTERVAL;
    private boolean deleteAfterInsert;
    private PayloadSerializer serializer;
    private TraceHeaders traceHeaders = TraceHeaders.NONE;
    private ObservationRegistry observations = ObservationRegistry.NOOP;
    private MeterRegistry meterRegistry = Metrics.globalRegistry;
    private Transactions transactions;

    public OutboxBuilder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Outbox.Builder database(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        return this;
    }

    @Override
    public Outbox.Builder table(String table) {
        this.table = SqlIdentifiers.require(table, "table");
        return this;
    }

    @Override
    public Outbox.Builder partitions(int partitions) {
        this.partitions = OutboxPartitions.requireValidCount(partitions, "partitions");
        return this;
    }

    @Override
    public Outbox.Builder maxPayloadBytes(long maxPayloadBytes) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    @Override
    public Outbox.Builder wakeUpChannel(String channel) {
        this.wakeUpChannel = SqlIdentifiers.require(channel, "wakeUpChannel");
        return this;
    }

    @Override
    public Outbox.Builder wakeUp(boolean enabled) {
        this.wakeUp = enabled;
        return this;
    }

    @Override
    public Outbox.Builder wakeUpInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(MIN_WAKE_UP_INTERVAL) < 0 || interval.compareTo(MAX_WAKE_UP_INTERVAL) > 0) {
            throw new IllegalArgumentException("wakeUpInterval must be between " + MIN_WAKE_UP_INTERVAL + " and "
                    + MAX_WAKE_UP_INTERVAL + ", was " + interval);
        }
        this.wakeUpInterval = interval;
        return this;
    }

    @Override
    public Outbox.Builder deleteAfterInsert(boolean enabled) {
        this.deleteAfterInsert = enabled;
        return this;
    }

    @Override
    public Outbox.Builder serializer(PayloadSerializer serializer) {
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        return this;
    }

    @Override
    public Outbox.Builder traceHeaders(TraceHeaders headers) {
        this.traceHeaders = Objects.requireNonNull(headers, "headers");
        return this;
    }

    @Override
    @SuppressWarnings("removal")
    public Outbox.Builder traceparentSource(TraceparentSource source) {
        Objects.requireNonNull(source, "source");
        return traceHeaders(() -> source.current()
                .map(traceparent -> Map.of("traceparent", traceparent))
                .orElse(Map.of()));
    }

    @Override
    public Outbox.Builder observationRegistry(ObservationRegistry registry) {
        this.observations = Objects.requireNonNull(registry, "registry");
        return this;
    }

    @Override
    public Outbox.Builder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    @Override
    public Outbox.Builder transactions(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        return this;
    }

    @Override
    public Outbox build() {
        Database db = database != null ? database : Database.of(dataSource);
        if (deleteAfterInsert && db != Database.POSTGRESQL) {
            throw new IllegalArgumentException("deleteAfterInsert serves the relay's cdc mode, which needs PostgreSQL;"
                    + " this outbox is on " + db);
        }
        // Rows deleted in their own transaction are invisible to a polling relay: waking one would be pointless.
        String channel = wakeUp && !deleteAfterInsert && db == Database.POSTGRESQL
                ? Objects.requireNonNullElse(wakeUpChannel, table)
                : null;
        return new JdbcOutbox(
                new OutboxSettings(table, partitions, maxPayloadBytes, deleteAfterInsert),
                Dialect.of(db),
                transactions != null ? transactions : new DataSourceTransactions(dataSource),
                serializer != null ? serializer : PayloadSerializer.json(),
                new OutboxTracing(traceHeaders, observations, table),
                new OutboxMetrics(meterRegistry),
                channel == null ? null : new WakeUpSender(dataSource, channel, wakeUpInterval));
    }
}
