package dev.courier.bench;

import dev.courier.localservices.database.TestDatabase;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The limits of any relay built on Debezium's embedded engine: the engine alone, with the cdc relay's settings
 * (pgoutput, 1 ms poll interval, batches of 2,048), reading the outbox inserts from a slot created before they were
 * written and doing nothing with them (no Kafka, no parking, no offsets in the database). {@link #open} creates the
 * slot and a publication of the inserts; {@link Slot#read} starts the engine and times it through the backlog written
 * since; after that, as {@link Arrivals}, it times each stamped insert from its commit to the engine handing it over.
 * Closing the slot stops the engine and drops both.
 */
final class DebeziumAlone {

    private DebeziumAlone() {}

    private static final String NAME = "bench_read_limit";

    /** Creates the slot (and publication) the engine reads from: call it before writing the changes. */
    static Slot open(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            statement.execute("DROP PUBLICATION IF EXISTS " + NAME);
            statement.execute("CREATE PUBLICATION " + NAME + " FOR TABLE courier_outbox WITH (publish = 'insert')");
            statement.execute("SELECT pg_create_logical_replication_slot('" + NAME + "', 'pgoutput')");
        }
        return new Slot(db);
    }

    static final class Slot extends Arrivals implements AutoCloseable {
        private final TestDatabase db;
        private final ExecutorService runner = Executors.newSingleThreadExecutor();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
        /** The arrival from which a {@link #read} is timed, and the times of that one and of the latest. */
        private volatile long timedFrom = Long.MAX_VALUE;

        private volatile long firstAt;
        private volatile long lastAt;
        private boolean started;

        private Slot(TestDatabase db) {
            this.db = db;
            this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(properties(db))
                    .notifying((events, committer) -> {
                        for (RecordChangeEvent<SourceRecord> event : events) {
                            if (event.record().value() instanceof Struct envelope) {
                                Struct row =
                                        envelope.schema().field("after") == null ? null : envelope.getStruct("after");
                                long now = System.nanoTime();
                                arrived(row == null ? null : row.getString("id"), now);
                                if (received() == timedFrom) {
                                    firstAt = now;
                                }
                                lastAt = now;
                            }
                            committer.markProcessed(event);
                        }
                        committer.markBatchFinished();
                    })
                    .using((success, message, error) -> {
                        if (!success) {
                            failure.set(error != null ? error : new IllegalStateException(message));
                        }
                    })
                    .build();
        }

        /**
         * Starts the engine and waits until it has handed over the {@code changes} inserts written since {@link #open}
         * (and nothing else since): inserts per second after the first tenth.
         */
        double read(int changes) {
            long warmUp = Math.max(1, changes / 10);
            timedFrom = warmUp;
            started = true;
            runner.execute(engine);
            Waits.awaitTrue(
                    Duration.ofMinutes(10),
                    () -> {
                        if (failure.get() != null) {
                            throw new IllegalStateException("Debezium's engine failed", failure.get());
                        }
                        return received() >= changes;
                    },
                    () -> String.format("Debezium's engine alone reading %,d changes (%,d seen)", changes, received()));
            // Timed from the first tenth on: the engine's start (connecting, finding the slot) is no part of a drain,
            // and the relay's engine had its warm-up before its drain, this one has the tenth.
            return (changes - warmUp) / ((lastAt - firstAt) / 1e9);
        }

        /** Stops the engine, then drops the slot and the publication once it has let go of the slot. */
        @Override
        public void close() throws Exception {
            try {
                if (started) {
                    engine.close();
                }
            } finally {
                runner.shutdownNow();
            }
            RelayFixtures.dropSlot(db, NAME);
            try (Connection c = db.dataSource().getConnection();
                    Statement statement = c.createStatement()) {
                statement.execute("DROP PUBLICATION IF EXISTS " + NAME);
            }
        }
    }

    /** The cdc relay's connector settings (its {@code CdcRelayConfiguration}), offsets in memory, no snapshot. */
    private static Properties properties(TestDatabase db) {
        URI server = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Properties engine = new Properties();
        engine.setProperty("name", NAME);
        engine.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        engine.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        engine.setProperty("offset.flush.interval.ms", "0");
        engine.setProperty("database.hostname", server.getHost());
        engine.setProperty("database.port", Integer.toString(server.getPort() > 0 ? server.getPort() : 5432));
        engine.setProperty("database.dbname", server.getPath().replaceFirst("^/", ""));
        engine.setProperty("database.user", db.user());
        engine.setProperty("database.password", db.password());
        engine.setProperty("topic.prefix", "courier");
        engine.setProperty("plugin.name", "pgoutput");
        engine.setProperty("slot.name", NAME);
        engine.setProperty("publication.name", NAME);
        engine.setProperty("publication.autocreate.mode", "disabled");
        engine.setProperty("table.include.list", "public\\.courier_outbox");
        engine.setProperty("snapshot.mode", "no_data");
        engine.setProperty("binary.handling.mode", "bytes");
        engine.setProperty("tombstones.on.delete", "false");
        engine.setProperty("poll.interval.ms", "1");
        engine.setProperty("max.batch.size", "2048");
        engine.setProperty("max.queue.size", Integer.toString(2048 * 4));
        engine.setProperty("status.update.interval.ms", "1000");
        engine.setProperty("record.processing.order", "ORDERED");
        return engine;
    }
}
