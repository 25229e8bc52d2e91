package dev.courier.bench;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.OutboxSchema;
import dev.courier.testsupport.database.DatabaseKind;
import dev.courier.testsupport.database.TestDatabase;
import dev.courier.testsupport.kafka.KafkaProcess;
import dev.courier.testsupport.process.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay (its executable jar, polling mode, default settings) against the raw Kafka producer with the same
 * messages, in one run on one machine: PostgreSQL, a Kafka broker process, the relay process and this JVM (writer,
 * raw producer, consumers) share its cores.
 *
 * <ol>
 *   <li>Warm-up: 30,000 messages through each path, not measured.
 *   <li>Drain: N 1 KB messages are written to the outbox while the relay is paused; then it is resumed and timed
 *       until a consumer has seen them all. The raw producer sends the same N messages, timed the same way.
 *   <li>Sustained load at fixed rates: every 5 ms a transaction writes rate/200 messages; latency runs from the
 *       commit's return to the consumer receiving the message. The raw producer sends the same batches, latency from
 *       {@code send()} to the consumer.
 * </ol>
 *
 * <p>Usage: {@code RelayBench [drain-messages] [seconds-per-rate]}.
 */
public final class RelayBench {

    private static final int TOPIC_PARTITIONS = 8;
    private static final int KEYS = 1_000;
    private static final int[] RATES = {1_000, 5_000};
    private static final int DATABASE_ONLY_CHUNK = 4_000;
    private static final Duration TICK = Duration.ofMillis(5);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final int WARM_UP_MESSAGES = 30_000;
    private static final String TOKEN = "bench-token";
    private static final byte[] PAYLOAD = payload();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int drainMessages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Duration perRate = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        StringBuilder report = new StringBuilder();
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "relaybench");
                KafkaProcess kafka = KafkaProcess.start()) {
            new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(db.dataSource());
            createTopics(kafka.bootstrapServers(), "outbox.event.bench", "raw.bench");
            Outbox outbox = Outbox.builder(db.dataSource()).build();
            int port = JavaProcess.freePort();
            Process relay = startRelay(db, kafka.bootstrapServers(), port);
            try (KafkaProducer<byte[], byte[]> raw = rawProducer(kafka.bootstrapServers());
                    TopicWatcher relayed =
                            new TopicWatcher(kafka.bootstrapServers(), "outbox.event.bench", TOPIC_PARTITIONS);
                    TopicWatcher produced = new TopicWatcher(kafka.bootstrapServers(), "raw.bench", TOPIC_PARTITIONS)) {
                awaitTrue(Duration.ofSeconds(90), () -> status(port, "/actuator/health") == 200, "relay healthy");

                // Warm-up of both paths (JIT, connections, topic metadata), not measured.
                long warmedBefore = relayed.received();
                fill(db, outbox, WARM_UP_MESSAGES);
                awaitTrue(
                        Duration.ofMinutes(2),
                        () -> relayed.received() - warmedBefore >= WARM_UP_MESSAGES,
                        "relay warm-up");
                drainRaw(raw, produced, WARM_UP_MESSAGES);

                // Drain
                admin(port, "/admin/pause");
                // Each drain starts from a vacuumed table, so that none scans the dead rows an earlier one left.
                vacuum(db);
                fill(db, outbox, drainMessages);
                double databaseOneConnection = drainDatabaseOnly(db, drainMessages, 1);
                vacuum(db);
                fill(db, outbox, drainMessages);
                double databaseTwoConnections = drainDatabaseOnly(db, drainMessages, 2);
                vacuum(db);
                long fillStart = System.nanoTime();
                fill(db, outbox, drainMessages);
                double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
                System.err.printf("filled %,d messages in %.1f s%n", drainMessages, fillSeconds);
                double rawRate = drainRaw(raw, produced, drainMessages);
                long before = relayed.received();
                long resumed = System.nanoTime();
                admin(port, "/admin/resume");
                awaitTrue(Duration.ofMinutes(10), () -> relayed.received() - before >= drainMessages, "relay drain");
                double relayRate = drainMessages / ((System.nanoTime() - resumed) / 1e9);
                System.err.printf(
                        "drain: relay %.0f msg/s, raw producer %.0f msg/s, database alone %.0f (1 connection) and"
                                + " %.0f msg/s (2 connections)%n",
                        relayRate, rawRate, databaseOneConnection, databaseTwoConnections);

                report.append("### Relay: drain and sustained latency against the raw producer\n\n")
                        .append(Runtime.getRuntime().availableProcessors())
                        .append(" cores shared by PostgreSQL, the Kafka broker, the relay and the load generator; JDK ")
                        .append(Runtime.version().feature())
                        .append("; 1 KB payloads, ")
                        .append(KEYS)
                        .append(" keys, topics with ")
                        .append(TOPIC_PARTITIONS)
                        .append(" partitions; relay with default settings.\n\n")
                        .append("| scenario | relay | raw producer | relay / raw |\n|---|---:|---:|---:|\n")
                        .append(String.format(
                                "| drain %,d messages (msg/s) | %.0f | %.0f | %.2f |%n",
                                drainMessages, relayRate, rawRate, relayRate / rawRate))
                        .append(String.format(
                                "| drain %,d messages, database alone: read and delete, no Kafka, 1 connection (msg/s)"
                                        + " | %.0f | – | %.2f |%n",
                                drainMessages, databaseOneConnection, databaseOneConnection / rawRate))
                        .append(String.format(
                                "| drain %,d messages, database alone: read and delete, no Kafka, 2 connections (msg/s)"
                                        + " | %.0f | – | %.2f |%n",
                                drainMessages, databaseTwoConnections, databaseTwoConnections / rawRate));

                // Sustained load
                try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
                    for (int rate : RATES) {
                        LatencyRecorder viaRelay = sustain(
                                rate,
                                perRate,
                                relayed,
                                batch -> {
                                    try (Connection c = db.dataSource().getConnection()) {
                                        c.setAutoCommit(false);
                                        List<UUID> ids = outbox.on(c).publishAll(batch);
                                        c.commit();
                                        ids.forEach(id -> relayed.stamp(id.toString()));
                                    }
                                },
                                writers);
                        LatencyRecorder viaRaw = sustain(
                                rate,
                                perRate,
                                produced,
                                batch -> {
                                    for (OutboxMessage message : batch) {
                                        String id = UUID.randomUUID().toString();
                                        produced.stamp(id);
                                        raw.send(record("raw.bench", message, id));
                                    }
                                },
                                writers);
                        System.err.printf(
                                "%d msg/s: relay p50 %.1f p99 %.1f ms; raw p50 %.1f p99 %.1f ms%n",
                                rate,
                                viaRelay.percentileMillis(50),
                                viaRelay.percentileMillis(99),
                                viaRaw.percentileMillis(50),
                                viaRaw.percentileMillis(99));
                        for (double percentile : new double[] {50, 99, 99.9}) {
                            report.append(String.format(
                                    "| %,d msg/s: commit→consume p%s (ms) | %.1f | %.1f | %.2f |%n",
                                    rate,
                                    percentile == 99.9 ? "99.9" : Integer.toString((int) percentile),
                                    viaRelay.percentileMillis(percentile),
                                    viaRaw.percentileMillis(percentile),
                                    viaRelay.percentileMillis(percentile) / viaRaw.percentileMillis(percentile)));
                        }
                        report.append(String.format(
                                "| %,d msg/s: delivered (msg/s) | %.0f | %.0f | %.2f |%n",
                                rate,
                                viaRelay.perSecond(),
                                viaRaw.perSecond(),
                                viaRelay.perSecond() / viaRaw.perSecond()));
                    }
                }
                report.append("\nRaw producer: same settings as the relay's (acks=all, idempotent, lz4, linger 0 ms,")
                        .append(" batch 256 KB); its latency runs from send() to consume, the relay's from the")
                        .append(" outbox commit to consume. Outbox fill for the drain: ")
                        .append(String.format("%,d messages in %.1f s.%n", drainMessages, fillSeconds));
            } finally {
                // SIGTERM first: a clean stop releases the leases and lets a flight recording be written.
                relay.destroy();
                if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                    JavaProcess.kill(relay);
                }
            }
        }
        BenchResults.publish("relay.md", report);
    }

    @FunctionalInterface
    private interface BatchWriter {
        void write(List<OutboxMessage> batch) throws Exception;
    }

    /**
     * Offers {@code rate} messages per second for {@code duration} (after a warm-up that is not measured) in one batch
     * per tick, and waits until every measured message arrived.
     */
    private static LatencyRecorder sustain(
            int rate, Duration duration, TopicWatcher watcher, BatchWriter writer, ExecutorService writers)
            throws Exception {
        int perTick = (int) (rate * TICK.toNanos() / 1_000_000_000L);
        LatencyRecorder latencies = new LatencyRecorder();
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        long end = measureFrom + duration.toNanos();
        long before = watcher.received();
        long offered = 0;
        boolean measuring = false;
        try {
            for (long tick = start; tick < end; tick += TICK.toNanos()) {
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // the load's own pacing
                }
                if (!measuring && System.nanoTime() >= measureFrom) {
                    watcher.measure(latencies);
                    measuring = true;
                }
                List<OutboxMessage> batch = batch(perTick);
                offered += perTick;
                writers.submit(() -> {
                    writer.write(batch);
                    return null;
                });
            }
            long expected = offered;
            awaitTrue(Duration.ofMinutes(2), () -> watcher.received() - before >= expected, "sustained delivery");
            latencies.endRound(end - measureFrom);
        } finally {
            watcher.measure(null);
        }
        return latencies;
    }

    private static double drainRaw(KafkaProducer<byte[], byte[]> raw, TopicWatcher watcher, int messages) {
        long before = watcher.received();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i += 1_000) {
            for (OutboxMessage message : batch(Math.min(1_000, messages - i))) {
                raw.send(record("raw.bench", message, UUID.randomUUID().toString()));
            }
        }
        awaitTrue(Duration.ofMinutes(5), () -> watcher.received() - before >= messages, "raw drain");
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The database's own limit for handing a backlog over: each of {@code connections} connections deletes the oldest
     * rows of its share of the partitions, {@value #DATABASE_ONLY_CHUNK} at a time, with {@code DELETE … RETURNING}
     * every column the relay reads (no second statement, no Kafka; commits do not wait for the WAL flush, like the
     * relay's deletes). No relay drains faster than this on the same machine.
     */
    private static double drainDatabaseOnly(TestDatabase db, int messages, int connections) throws Exception {
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
    private static long deleteReturning(TestDatabase db, int modulus, int remainder) throws Exception {
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
    private static void readColumns(ResultSet row) throws SQLException {
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

    private static void vacuum(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement vacuum = c.createStatement()) {
            vacuum.execute("VACUUM (ANALYZE) courier_outbox");
        }
    }

    private static void fill(TestDatabase db, Outbox outbox, int messages) throws Exception {
        for (int i = 0; i < messages; i += 1_000) {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                outbox.on(c).publishAll(batch(Math.min(1_000, messages - i)));
                c.commit();
            }
        }
    }

    private static List<OutboxMessage> batch(int size) {
        List<OutboxMessage> batch = new ArrayList<>(size);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < size; i++) {
            batch.add(new OutboxMessage(
                    "bench", "key-" + random.nextInt(KEYS), "BenchEvent", PAYLOAD, Map.of("tenant", "bench")));
        }
        return batch;
    }

    /** The record the relay would produce for {@code message}: same key, value and headers. */
    private static ProducerRecord<byte[], byte[]> record(String topic, OutboxMessage message, String id) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topic, message.aggregateId().getBytes(StandardCharsets.UTF_8), (byte[]) message.payload());
        record.headers().add("id", id.getBytes(StandardCharsets.UTF_8));
        record.headers().add("type", message.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add("aggregatetype", message.aggregateType().getBytes(StandardCharsets.UTF_8));
        record.headers().add("tenant", "bench".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(String bootstrapServers) {
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

    private static Process startRelay(TestDatabase db, String bootstrapServers, int port) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", Integer.toString(port));
        settings.put("courier.relay.member-id", "bench");
        settings.put("courier.relay.datasource.url", db.jdbcUrl());
        settings.put("courier.relay.datasource.username", db.user());
        settings.put("courier.relay.datasource.password", db.password());
        settings.put("courier.relay.kafka.bootstrap-servers", bootstrapServers);
        settings.put("courier.relay.admin.token", TOKEN);
        Path log = Files.createDirectories(BenchResults.DIRECTORY).resolve("relay.log");
        Files.deleteIfExists(log);
        return JavaProcess.startJar(
                JavaProcess.jarIn(Path.of("..", "relay-service", "target"), "relay-service"),
                relayJvmOptions(),
                settings,
                log);
    }

    /** {@code -Dcourier.bench.relay-jvm="..."} adds options to the relay's JVM, e.g. a flight recording. */
    private static List<String> relayJvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx1g"));
        String extra = System.getProperty("courier.bench.relay-jvm", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }

    private static void createTopics(String bootstrapServers, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> created = new ArrayList<>();
            for (String topic : topics) {
                created.add(new NewTopic(topic, TOPIC_PARTITIONS, (short) 1));
            }
            admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void admin(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not happen within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    /** A 1 KB JSON document, compressible like real events. */
    private static byte[] payload() {
        StringBuilder json = new StringBuilder("{\"orderId\":\"o-1\",\"lines\":[");
        int line = 0;
        while (json.length() < 1000) {
            json.append("{\"sku\":\"SKU-")
                    .append(line)
                    .append("\",\"quantity\":")
                    .append(line % 7 + 1)
                    .append("},");
            line++;
        }
        json.setLength(json.length() - 1);
        json.append("]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
