package dev.courier.bench;

import static dev.courier.bench.RelayFixtures.batch;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The raw limits the relay is compared with: the bare Kafka producer, and the database alone. */
final class RelayRawLimits {

    private RelayRawLimits() {}

    static final int DATABASE_ONLY_CHUNK = 4_000;

    static double drainRaw(KafkaProducer<byte[], byte[]> raw, TopicWatcher watcher, int messages) {
        long before = watcher.received();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i += 1_000) {
            for (OutboxMessage message : batch(Math.min(1_000, messages - i))) {
                raw.send(record("raw.bench", message, UUID.randomUUID().toString()));
            }
        }
        Waits.awaitTrue(Duration.ofMinutes(5), () -> watcher.received() - before >= messages, "raw drain");
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The database's own limit for handing a backlog over: each of {@code connections} connections deletes the oldest
     * rows of its share of the partitions, {@value #DATABASE_ONLY_CHUNK} at a time, with {@code DELETE … RETURNING}
     * every column the relay reads (no second statement, no Kafka; commits do not wait for the WAL flush, like the
     * relay's deletes). No relay drains faster than this on the same machine.
     */
    static double drainDatabaseOnly(TestDatabase db, int messages, int connections) throws Exception {
        long start = System.nanoTime();
        List<Future<Long>> shares = new ArrayList<>();
        try (ExecutorService readers = Executors.newFixedThreadPool(connections)) {
            for (int share = 0; share < connections; share++) {
                int remainder = share;
                shares.add(readers.submit(() -> deleteReturning(db, connections, remainder)));
            }
            long read = 0;
            for (Future<Long> share : shares) {
                read += share.get();
            }
            if (read != messages) {
                throw new IllegalStateException("database-only drain read " + read + " rows, expected " + messages);
            }
        }
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    /** Deletes and reads every row whose partition number is {@code remainder} modulo {@code modulus}. */
    static long deleteReturning(TestDatabase db, int modulus, int remainder) throws Exception {
        String sql = "DELETE FROM courier_outbox WHERE id IN (SELECT id FROM courier_outbox WHERE partition_no % "
                + modulus + " = " + remainder + " ORDER BY partition_no, seq LIMIT " + DATABASE_ONLY_CHUNK
                + ") RETURNING id, aggregatetype, aggregateid, type, payload, headers, partition_no, seq, created_at";
        long read = 0;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement relaxed = c.createStatement()) {
                relaxed.execute("SET synchronous_commit = off");
            }
            c.commit();
            try (PreparedStatement delete = c.prepareStatement(sql)) {
                int rows;
                do {
                    rows = 0;
                    try (ResultSet row = delete.executeQuery()) {
                        while (row.next()) {
                            readColumns(row);
                            rows++;
                        }
                    }
                    c.commit();
                    read += rows;
                } while (rows > 0);
            }
        }
        return read;
    }

    /** Reads every column the way the relay does, so that the database-only drain decodes as much as the relay. */
    static void readColumns(ResultSet row) throws SQLException {
        if (row.getString(1).isEmpty()
                || row.getString(2).isEmpty()
                || row.getString(3).isEmpty()
                || row.getString(4).isEmpty()
                || row.getBytes(5) == null
                || row.getString(6).isEmpty()
                || row.getInt(7) < 0
                || row.getLong(8) < 0
                || row.getTimestamp(9) == null) {
            throw new IllegalStateException("incomplete outbox row");
        }
    }

    static KafkaProducer<byte[], byte[]> rawProducer(String bootstrapServers) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(settings);
    }

    /** The record the relay would produce for {@code message}: same key, value and headers. */
    static ProducerRecord<byte[], byte[]> record(String topic, OutboxMessage message, String id) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topic, message.aggregateId().getBytes(StandardCharsets.UTF_8), (byte[]) message.payload());
        record.headers().add("id", id.getBytes(StandardCharsets.UTF_8));
        record.headers().add("type", message.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add("aggregatetype", message.aggregateType().getBytes(StandardCharsets.UTF_8));
        record.headers().add("tenant", "bench".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
