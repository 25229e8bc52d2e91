package dev.courier.bench;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.testsupport.database.DatabaseKind;
import dev.courier.testsupport.database.TestDatabase;
import dev.courier.testsupport.kafka.KafkaProcess;
import dev.courier.testsupport.process.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay (its executable jar, default settings) in polling and in cdc mode, against the raw Kafka producer with
 * the same messages and against the database alone, in one run on one machine: PostgreSQL, a Kafka broker process,
 * the relay process and this JVM (writer, raw producer, consumers) share its cores.
 *
 * <ol>
 *   <li>The raw producer: 30,000 warm-up messages, then a drain of N messages, then sustained rates.
 *   <li>The database alone: N rows written, then read and deleted with no Kafka (one, then two connections).
 *   <li>Each relay mode: 30,000 warm-up messages; a drain (N 1 KB messages written while the relay is paused, then
 *       timed from resume until a consumer has seen them all); sustained rates.
 * </ol>
 *
 * <p>Sustained load: every 5 ms a transaction writes rate/200 messages; latency runs from the commit's return to the
 * consumer receiving the message. The raw producer sends the same batches, latency from {@code send()} to consume.
 *
 * <p>Usage: {@code RelayBench [drain-messages] [seconds-per-rate]}.
 */
public final class RelayBench {

    private static final int TOPIC_PARTITIONS = 8;
    private static final int KEYS = 1_000;
    private static final int[] RATES = {1_000, 5_000};
    private static final int DATABASE_ONLY_CHUNK = 4_000;
    private static final List<String> MODES = List.of("polling", "cdc");
    private static final String CDC_SLOT = "courier_bench_slot";
    private static final Duration TICK = Duration.ofMillis(5);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final int WARM_UP_MESSAGES = 30_000;
    private static final String TOKEN = "bench-token-0123456789";
    private static final byte[] PAYLOAD = payload();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int drainMessages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Duration perRate = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "relaybench");
                KafkaProcess kafka = KafkaProcess.start()) {
            new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(db.dataSource());
            createTopics(kafka.bootstrapServers(), "outbox.event.bench", "raw.bench");
            Outbox outbox = Outbox.builder(db.dataSource()).build();
            Results results = new Results(drainMessages);
            try (KafkaProducer<byte[], byte[]> raw = rawProducer(kafka.bootstrapServers());
                    TopicWatcher relayed =
                            new TopicWatcher(kafka.bootstrapServers(), "outbox.event.bench", TOPIC_PARTITIONS);
                    TopicWatcher produced = new TopicWatcher(kafka.bootstrapServers(), "raw.bench", TOPIC_PARTITIONS);
                    ExecutorService writers = Executors.newFixedThreadPool(4)) {
                // The raw producer: warm-up (JIT, connections, topic metadata), drain, sustained rates.
                drainRaw(raw, produced, WARM_UP_MESSAGES);
                results.rawDrain = drainRaw(raw, produced, drainMessages);
                for (int rate : RATES) {
                    results.rawLatency.put(rate, sustain(rate, perRate, produced, rawWriter(raw, produced), writers));
                }
                // The database alone. Each drain starts from a vacuumed table, so that none scans the dead rows an
                // earlier one left.
                vacuum(db);
                fill(db, outbox, drainMessages);
                results.databaseOneConnection = drainDatabaseOnly(db, drainMessages, 1);
                vacuum(db);
                fill(db, outbox, drainMessages);
                results.databaseTwoConnections = drainDatabaseOnly(db, drainMessages, 2);
                // The relay, in each mode.
                for (String mode : MODES) {
                    results.relays.put(
                            mode, benchRelay(mode, db, outbox, kafka, relayed, drainMessages, perRate, writers));
                }
            }
            BenchResults.publish("relay.md", results.report());
        }
    }

    /** One relay mode's numbers. */
    private record RelayResult(double drain, double fillSeconds, Map<Integer, LatencyRecorder> latency) {}

    /** Everything one run measured, and its table. */
    private static final class Results {
        final int drainMessages;
        double rawDrain;
        double databaseOneConnection;
        double databaseTwoConnections;
        final Map<Integer, LatencyRecorder> rawLatency = new LinkedHashMap<>();
        final Map<String, RelayResult> relays = new LinkedHashMap<>();

        Results(int drainMessages) {
            this.drainMessages = drainMessages;
        }

        StringBuilder report() {
            RelayResult polling = relays.get("polling");
            RelayResult cdc = relays.get("cdc");
            StringBuilder report = new StringBuilder("### Relay: polling and cdc mode against the raw producer\n\n")
                    .append(Runtime.getRuntime().availableProcessors())
                    .append(" cores shared by PostgreSQL, the Kafka broker, the relay and the load generator; JDK ")
                    .append(Runtime.version().feature())
                    .append("; 1 KB payloads, ")
                    .append(KEYS)
                    .append(" keys, topics with ")
                    .append(TOPIC_PARTITIONS)
                    .append(" partitions; relays with default settings.\n\n")
                    .append("| scenario | polling | cdc | raw producer | polling / raw | cdc / raw |\n")
                    .append("|---|---:|---:|---:|---:|---:|\n")
                    .append(row(
                            String.format("drain %,d messages (msg/s)", drainMessages),
                            polling.drain(),
                            cdc.drain(),
                            rawDrain,
                            "%.0f"))
                    .append(String.format(
                            "| database alone, 1 connection: read and delete the same rows, no Kafka (msg/s) | %.0f"
                                    + " | | | %.2f | |%n",
                            databaseOneConnection, databaseOneConnection / rawDrain))
                    .append(String.format(
                            "| database alone, 2 connections (msg/s) | %.0f | | | %.2f | |%n",
                            databaseTwoConnections, databaseTwoConnections / rawDrain));
            for (int rate : RATES) {
                for (double percentile : new double[] {50, 99, 99.9}) {
                    report.append(row(
                            String.format(
                                    "%,d msg/s: commit→consume p%s (ms)",
                                    rate, percentile == 99.9 ? "99.9" : Integer.toString((int) percentile)),
                            polling.latency().get(rate).percentileMillis(percentile),
                            cdc.latency().get(rate).percentileMillis(percentile),
                            rawLatency.get(rate).percentileMillis(percentile),
                            "%.1f"));
                }
                report.append(row(
                        String.format("%,d msg/s: delivered (msg/s)", rate),
                        polling.latency().get(rate).perSecond(),
                        cdc.latency().get(rate).perSecond(),
                        rawLatency.get(rate).perSecond(),
                        "%.0f"));
            }
            return report.append(
                            "\nRaw producer: same settings as the relay's (acks=all, idempotent, lz4, linger 0 ms,")
                    .append(" batch 256 KB); its latency runs from send() to consume, the relays' from the")
                    .append(" outbox commit to consume. Outbox fill for the drains: ")
                    .append(String.format(
                            "%,d messages in %.1f s (polling) and %.1f s (cdc).%n",
                            drainMessages, polling.fillSeconds(), cdc.fillSeconds()));
        }

        private static String row(String scenario, double polling, double cdc, double raw, String format) {
            return String.format(
                    "| %s | " + format + " | " + format + " | " + format + " | %.2f | %.2f |%n",
                    scenario,
                    polling,
                    cdc,
                    raw,
                    polling / raw,
                    cdc / raw);
        }
    }

    /** Starts the relay's jar in {@code mode}, warms it up, times a drain and measures latency at each rate. */
    private static RelayResult benchRelay(
            String mode,
            TestDatabase db,
            Outbox outbox,
            KafkaProcess kafka,
            TopicWatcher relayed,
            int drainMessages,
            Duration perRate,
            ExecutorService writers)
            throws Exception {
        int port = JavaProcess.freePort();
        Process relay = startRelay(db, kafka.bootstrapServers(), port, mode);
        try {
            JavaProcess.awaitHealthy(relay, port, Duration.ofSeconds(90), mode + " relay");
            long warmedBefore = relayed.received();
            fill(db, outbox, WARM_UP_MESSAGES);
            Waits.awaitTrue(
                    Duration.ofMinutes(2),
                    () -> relayed.received() - warmedBefore >= WARM_UP_MESSAGES,
                    mode + " relay warm-up");

            admin(port, "/admin/pause");
            vacuum(db);
            long fillStart = System.nanoTime();
            fill(db, outbox, drainMessages);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            long before = relayed.received();
            long resumed = System.nanoTime();
            admin(port, "/admin/resume");
            Waits.awaitTrue(
                    Duration.ofMinutes(10), () -> relayed.received() - before >= drainMessages, mode + " drain");
            double drain = drainMessages / ((System.nanoTime() - resumed) / 1e9);
            System.err.printf("%s drain: %.0f msg/s (fill %.1f s)%n", mode, drain, fillSeconds);

            Map<Integer, LatencyRecorder> latency = new LinkedHashMap<>();
            for (int rate : RATES) {
                LatencyRecorder recorder = sustain(rate, perRate, relayed, outboxWriter(db, outbox, relayed), writers);
                latency.put(rate, recorder);
                System.err.printf(
                        "%s at %d msg/s: p50 %.1f p99 %.1f ms%n",
                        mode, rate, recorder.percentileMillis(50), recorder.percentileMillis(99));
            }
            return new RelayResult(drain, fillSeconds, latency);
        } finally {
            // SIGTERM first: a clean stop releases the leases (or the slot) and lets a flight recording be written.
            relay.destroy();
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                JavaProcess.kill(relay);
            }
            if (mode.equals("cdc")) {
                dropSlot(db);
            }
        }
    }

    private static BatchWriter outboxWriter(TestDatabase db, Outbox outbox, TopicWatcher relayed) {
        return batch -> {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                List<UUID> ids = outbox.on(c).publishAll(batch);
                c.commit();
                ids.forEach(id -> relayed.stamp(id.toString()));
            }
        };
    }

    private static BatchWriter rawWriter(KafkaProducer<byte[], byte[]> raw, TopicWatcher produced) {
        return batch -> {
            for (OutboxMessage message : batch) {
                String id = UUID.randomUUID().toString();
                produced.stamp(id);
                raw.send(record("raw.bench", message, id));
            }
        };
    }

    /** The bench database can only be dropped once no slot holds it. */
    private static void dropSlot(TestDatabase db) throws Exception {
        Waits.awaitTrue(
                Duration.ofSeconds(30),
                () -> {
                    try (Connection c = db.dataSource().getConnection();
                            Statement drop = c.createStatement()) {
                        drop.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                + " WHERE slot_name = '" + CDC_SLOT + "'");
                        return true;
                    } catch (SQLException e) {
                        return false; // still active for a moment after the relay stopped
                    }
                },
                "cdc slot dropped");
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
        List<Future<?>> writes = new ArrayList<>();
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
                writes.add(writers.submit(() -> {
                    writer.write(batch);
                    return null;
                }));
            }
            // A write that failed would leave the wait below short of messages: fail with its cause instead.
            for (Future<?> write : writes) {
                write.get();
            }
            long expected = offered;
            Waits.awaitTrue(
                    Duration.ofMinutes(2),
                    () -> watcher.received() - before >= expected,
                    () -> String.format(
                            "sustained delivery at %d msg/s (%,d of %,d offered messages seen)",
                            rate, watcher.received() - before, expected));
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
        Waits.awaitTrue(Duration.ofMinutes(5), () -> watcher.received() - before >= messages, "raw drain");
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

    private static Process startRelay(TestDatabase db, String bootstrapServers, int port, String mode)
            throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", Integer.toString(port));
        settings.put("courier.relay.mode", mode);
        settings.put("courier.relay.cdc.slot", CDC_SLOT);
        settings.put("courier.relay.member-id", "bench");
        settings.put("courier.relay.datasource.url", db.jdbcUrl());
        settings.put("courier.relay.datasource.username", db.user());
        settings.put("courier.relay.datasource.password", db.password());
        settings.put("courier.relay.kafka.bootstrap-servers", bootstrapServers);
        settings.put("courier.relay.admin.token", TOKEN);
        return ChildJvm.startService("relay-service", "relay", "relay-" + mode, List.of("-Xmx1g"), settings);
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
