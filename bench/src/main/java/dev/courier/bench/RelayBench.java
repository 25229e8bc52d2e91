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

import dev.courier.bench.RelayLoad.CommitTimes;
import dev.courier.bench.RelayReport.Results;
import dev.courier.bench.RelayReport.Variant;
import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.localservices.kafka.KafkaProcess;
import dev.courier.localservices.process.JavaProcess;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.schema.OutboxSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The relay (its executable jar) in polling and in cdc mode, against the raw Kafka producer with the same messages and
 * against the database alone, in one run on one machine: PostgreSQL, a Kafka broker process, the relay process and
 * this JVM (writer, raw producer, consumers) share its cores. The variants take turns in rounds, each round running
 * every variant once in the same order, so that all see the same machine over the run; each measure is reported as
 * the median of its rounds with their lowest and highest value.
 *
 * <p>In each round:
 *
 * <ol>
 *   <li>The raw producer: a drain of N messages, then sustained rates.
 *   <li>The database alone: N rows written, then read and deleted with no Kafka, by one connection.
 *   <li>Each relay variant, in a process of its own: 30,000 warm-up messages; a drain (N 1 KB messages written while
 *       the relay is paused, timed from resume until a consumer has seen them all); then the sustained rates, right
 *       after the drain, on a table whose dead rows no vacuum removed.
 * </ol>
 *
 * <p>Sustained load: every 5 ms a transaction writes rate/200 messages; latency runs from the commit's return to the
 * consumer receiving the message. The raw producer sends the same batches, latency from {@code send()} to consume.
 * Beside the polling relay, a listener of the bench's own times each commit to the first NOTIFY after it: the part
 * of the latency spent before the relay is woken.
 *
 * <p>Usage: {@code RelayBench [drain-messages] [seconds-per-rate] [rounds] [--floors]}; {@code --floors} compares
 * polling with and without fetch floors, and without them but with a vacuum after the drain, instead of cdc.
 */
public final class RelayBench {

    static final int[] RATES = {1_000, 5_000};
    private static final int WARM_UP_MESSAGES = 30_000;

    /** A relay process to measure: its name in the tables, its mode, extra settings, and a vacuum after the drain. */
    private static final List<Variant> MODES =
            List.of(new Variant("polling", "polling", Map.of(), false), new Variant("cdc", "cdc", Map.of(), false));

    private static final List<Variant> FLOORS = List.of(
            new Variant("polling", "polling", Map.of(), false),
            new Variant("polling, no floors", "polling", Map.of("courier.relay.poll.fetch-floors", "false"), false),
            new Variant(
                    "polling, no floors, vacuum after the drain",
                    "polling",
                    Map.of("courier.relay.poll.fetch-floors", "false"),
                    true));

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean floors = arguments.remove("--floors");
        int drainMessages = arguments.size() > 0 ? Integer.parseInt(arguments.get(0)) : 200_000;
        Duration perRate = Duration.ofSeconds(arguments.size() > 1 ? Long.parseLong(arguments.get(1)) : 20);
        int rounds = arguments.size() > 2 ? Integer.parseInt(arguments.get(2)) : 3;
        List<Variant> variants = floors ? FLOORS : MODES;

        Duration drainTime = Duration.ofMillis(drainMessages / 20L); // about 20,000 msg/s
        Duration rates = perRate.plus(RelayLoad.WARM_UP).multipliedBy(RATES.length);
        Duration perVariant = Duration.ofSeconds(25).plus(drainTime).plus(rates);
        Duration engineLatency = floors ? Duration.ZERO : perRate.plus(RelayLoad.WARM_UP);
        Progress progress = new Progress(
                floors ? "relay --floors" : "relay",
                rounds * (3 + variants.size() * 2 + (floors ? 0 : 1)),
                perVariant
                        .multipliedBy(variants.size())
                        .plus(drainTime.multipliedBy(3))
                        .plus(rates)
                        .plus(engineLatency)
                        .multipliedBy(rounds));
        Results results = new Results(drainMessages, variants);
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "relaybench");
                KafkaProcess kafka = KafkaProcess.start(ChildJvm.kafka())) {
            new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(db.dataSource());
            createTopics(kafka.bootstrapServers(), "outbox.event.bench", "raw.bench");
            Outbox outbox = Outbox.builder(db.dataSource()).build();
            try (KafkaProducer<byte[], byte[]> raw = rawProducer(kafka.bootstrapServers());
                    TopicWatcher relayed =
                            new TopicWatcher(kafka.bootstrapServers(), "outbox.event.bench", TOPIC_PARTITIONS);
                    TopicWatcher produced = new TopicWatcher(kafka.bootstrapServers(), "raw.bench", TOPIC_PARTITIONS);
                    WakeUpWatcher wakeUps = new WakeUpWatcher(db, "courier_outbox");
                    ExecutorService writers = Executors.newFixedThreadPool(4)) {
                drainRaw(raw, produced, WARM_UP_MESSAGES); // JIT, connections, topic metadata
                for (int round = 1; round <= rounds; round++) {
                    String of = "round " + round + "/" + rounds + ": ";
                    progress.step(of + String.format("raw producer, drain of %,d messages", drainMessages), drainTime);
                    results.rawDrain.add(drainRaw(raw, produced, drainMessages));
                    progress.step(of + "raw producer at sustained rates", rates);
                    for (int rate : RATES) {
                        results.rawLatency(rate)
                                .add(sustain(rate, perRate, produced, rawWriter(raw, produced), writers));
                    }
                    // From a vacuumed table, so that it does not read the dead rows an earlier drain left.
                    // The same rows' inserts are then read by Debezium's engine alone, from a slot made before them.
                    progress.step(
                            of + "database alone: write and drain the backlog"
                                    + (floors ? "" : "; Debezium's engine alone: read its inserts"),
                            drainTime.multipliedBy(floors ? 2 : 3));
                    vacuum(db);
                    try (DebeziumAlone.Slot changes = floors ? null : DebeziumAlone.open(db)) {
                        fill(db, outbox, drainMessages);
                        results.databaseAlone.add(drainDatabaseOnly(db, drainMessages, 1));
                        if (changes != null) {
                            results.debeziumAlone.add(changes.read(drainMessages));
                            progress.step(of + "Debezium's engine alone at 1,000 msg/s", engineLatency);
                            results.debeziumAloneLatency.add(sustain(
                                    1_000,
                                    perRate,
                                    changes,
                                    outboxWriter(db, outbox, changes, CommitTimes.NONE),
                                    writers));
                        }
                    }
                    if (!floors) {
                        RelayFixtures.truncate(db); // what the engine alone read stays unpublished
                    }
                    for (Variant variant : variants) {
                        benchRelay(
                                variant,
                                of,
                                db,
                                outbox,
                                kafka,
                                relayed,
                                wakeUps,
                                drainMessages,
                                perRate,
                                writers,
                                progress,
                                results);
                    }
                }
            }
        }
        BenchResults.publish(floors ? "relay-floors.md" : "relay.md", results.report(rounds, perRate));
        if (!floors) {
            results.summary().write();
        }
    }

    /** Starts the relay's jar as {@code variant}, warms it up, times a drain and measures latency at each rate. */
    private static void benchRelay(
            Variant variant,
            String of,
            TestDatabase db,
            Outbox outbox,
            KafkaProcess kafka,
            TopicWatcher relayed,
            WakeUpWatcher wakeUps,
            int drainMessages,
            Duration perRate,
            ExecutorService writers,
            Progress progress,
            Results results)
            throws Exception {
        progress.step(of + variant.name() + " relay: start, warm up, drain", Duration.ofSeconds(25));
        int port = JavaProcess.freePort();
        Process relay = startRelay(db, kafka.bootstrapServers(), port, variant.mode(), variant.settings());
        try {
            JavaProcess.awaitHealthy(relay, port, Duration.ofSeconds(90), variant.name() + " relay");
            long warmedBefore = relayed.received();
            fill(db, outbox, WARM_UP_MESSAGES);
            Waits.awaitTrue(
                    Duration.ofMinutes(2),
                    () -> relayed.received() - warmedBefore >= WARM_UP_MESSAGES,
                    variant.name() + " relay warm-up");

            RelayFixtures.pause(port);
            vacuum(db);
            fill(db, outbox, drainMessages);
            long before = relayed.received();
            long resumed = System.nanoTime();
            admin(port, "/admin/resume");
            Waits.awaitTrue(
                    Duration.ofMinutes(10),
                    () -> relayed.received() - before >= drainMessages,
                    variant.name() + " drain");
            results.drain(variant).add(drainMessages / ((System.nanoTime() - resumed) / 1e9));
            if (variant.vacuumAfterDrain()) {
                vacuum(db);
            }

            progress.step(
                    of + variant.name() + " relay at sustained rates",
                    perRate.plus(RelayLoad.WARM_UP).multipliedBy(2));
            for (int rate : RATES) {
                results.latency(variant, rate)
                        .add(sustain(
                                rate,
                                perRate,
                                relayed,
                                outboxWriter(db, outbox, relayed, wakeUps::committed),
                                writers));
                wakeUps.endRound(results.wakeUp(variant, rate).next(), perRate.toNanos());
            }
        } finally {
            // SIGTERM first: a clean stop releases the leases (or the slot) and lets a flight recording be written.
            relay.destroy();
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                JavaProcess.kill(relay);
            }
            if (variant.mode().equals("cdc")) {
                dropSlot(db);
            }
        }
    }
}
