package dev.courier.bench;

import static dev.courier.bench.RelayFixtures.TOPIC_PARTITIONS;
import static dev.courier.bench.RelayFixtures.admin;
import static dev.courier.bench.RelayFixtures.createTopics;
import static dev.courier.bench.RelayFixtures.dropSlot;
import static dev.courier.bench.RelayFixtures.fill;
import static dev.courier.bench.RelayFixtures.startRelay;
import static dev.courier.bench.RelayFixtures.vacuum;
import static dev.courier.bench.RelayLoad.outboxWriter;
import static dev.courier.bench.RelayLoad.rawWriter;
import static dev.courier.bench.RelayLoad.sustain;
import static dev.courier.bench.RelayRawLimits.drainDatabaseOnly;
import static dev.courier.bench.RelayRawLimits.drainRaw;
import static dev.courier.bench.RelayRawLimits.rawProducer;

import dev.courier.bench.RelayReport.RelayResult;
import dev.courier.bench.RelayReport.Results;
import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.localservices.kafka.KafkaProcess;
import dev.courier.localservices.process.JavaProcess;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.schema.OutboxSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

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

    static final int[] RATES = {1_000, 5_000};
    private static final List<String> MODES = List.of("polling", "cdc");
    private static final int WARM_UP_MESSAGES = 30_000;

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
}
