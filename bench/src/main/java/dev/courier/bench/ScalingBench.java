package dev.courier.bench;

import static dev.courier.bench.NotifierApi.endpoints;
import static dev.courier.bench.NotifierApi.startNotifier;
import static dev.courier.bench.RelayFixtures.TOPIC_PARTITIONS;
import static dev.courier.bench.RelayFixtures.admin;
import static dev.courier.bench.RelayFixtures.createTopics;
import static dev.courier.bench.RelayFixtures.fill;
import static dev.courier.bench.RelayFixtures.startRelay;
import static dev.courier.bench.RelayFixtures.vacuum;

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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One against two instances, on this machine: the relay (polling mode) draining a backlog with one process and with
 * two sharing the partitions, and the notifier draining due notifications to 100 endpoints with one JVM and with two
 * sharing the table. Rounds alternate one and two; besides the rate, the CPU time the instances and the whole machine
 * spent per 1,000 messages, the per-instance cost that {@code docs/scaling.md} plans with.
 *
 * <p>Usage: {@code ScalingBench [relay-drain-messages] [notifier-drain] [rounds]}.
 */
public final class ScalingBench {

    private static final Pattern OWNED = Pattern.compile("\"owned\":\\[([^\\]]*)\\]");

    private ScalingBench() {}

    /** One cell's drains over the rounds, with the CPU they cost. */
    private static final class Cell {
        final List<Double> perSecond = new ArrayList<>();
        final DrainCpu cpu = new DrainCpu();

        void add(int messages, double seconds, long instanceTicks, long machineTicks) {
            perSecond.add(messages / seconds);
            cpu.add(instanceTicks, machineTicks, messages);
        }

        String row(String name, Cell one) {
            return String.format(
                    "| %s | %s | %s | %s | %s |%n",
                    name,
                    Spread.of(perSecond).format("%,.0f"),
                    Spread.ratios(perSecond, one.perSecond).format("%.2f"),
                    cpu.process(),
                    cpu.machine());
        }
    }

    public static void main(String[] args) throws Exception {
        int relayDrain = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int notifierDrain = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Progress progress = new Progress("scaling", 2 + 4 * rounds, Duration.ofSeconds(60 + 100L * rounds));
        Cell oneRelay = new Cell();
        Cell twoRelays = new Cell();
        Cell oneNotifier = new Cell();
        Cell twoNotifiers = new Cell();
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "scalingrelay");
                KafkaProcess kafka = KafkaProcess.start(ChildJvm.kafka())) {
            progress.step("relay: start one instance and warm it up", Duration.ofSeconds(30));
            relays(db, kafka, relayDrain, rounds, progress, oneRelay, twoRelays);
        }
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "scalingnotifier")) {
            progress.step("notifier: start one instance and warm it up", Duration.ofSeconds(30));
            notifiers(db, notifierDrain, rounds, progress, oneNotifier, twoNotifiers);
        }
        StringBuilder report = new StringBuilder("### One against two instances\n\n")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by PostgreSQL, Kafka, the instances and the load; ")
                .append(rounds)
                .append(" rounds alternating one and two instances; median of the rounds (lowest–highest). CPU: user")
                .append(" and system time per 1,000 messages, of the instances together and of the whole machine.\n\n")
                .append("| cell | msg/s | vs one | instances' CPU ms / 1,000 | machine CPU ms / 1,000 |\n")
                .append("|---|---:|---:|---:|---:|\n")
                .append(oneRelay.row(String.format("relay, polling, 1 instance, drain of %,d", relayDrain), oneRelay))
                .append(twoRelays.row("relay, polling, 2 instances (16 partitions each)", oneRelay))
                .append(oneNotifier.row(
                        String.format("notifier, 1 instance, drain of %,d to 100 endpoints", notifierDrain),
                        oneNotifier))
                .append(twoNotifiers.row("notifier, 2 instances", oneNotifier));
        BenchResults.publish("scaling.md", report);
    }

    private static void relays(
            TestDatabase db, KafkaProcess kafka, int drain, int rounds, Progress progress, Cell one, Cell two)
            throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(db.dataSource());
        createTopics(kafka.bootstrapServers(), "outbox.event.bench");
        Outbox outbox = Outbox.builder(db.dataSource()).build();
        try (TopicWatcher relayed =
                new TopicWatcher(kafka.bootstrapServers(), "outbox.event.bench", TOPIC_PARTITIONS)) {
            int portA = JavaProcess.freePort();
            Process a =
                    startRelay(db, kafka.bootstrapServers(), portA, "polling", Map.of("courier.relay.member-id", "a"));
            try {
                JavaProcess.awaitHealthy(a, portA, Duration.ofSeconds(90), "relay a");
                relayDrain(db, outbox, relayed, new int[] {portA}, 30_000, List.of(a), null);
                for (int round = 1; round <= rounds; round++) {
                    progress.step("round " + round + "/" + rounds + ": relay, 1 instance", Duration.ofSeconds(20));
                    awaitOwned(portA, 32);
                    relayDrain(db, outbox, relayed, new int[] {portA}, drain, List.of(a), one);
                    progress.step("round " + round + "/" + rounds + ": relay, 2 instances", Duration.ofSeconds(45));
                    int portB = JavaProcess.freePort();
                    Process b = startRelay(
                            db, kafka.bootstrapServers(), portB, "polling", Map.of("courier.relay.member-id", "b"));
                    try {
                        JavaProcess.awaitHealthy(b, portB, Duration.ofSeconds(90), "relay b");
                        awaitOwned(portA, 16);
                        awaitOwned(portB, 16);
                        relayDrain(
                                db, outbox, relayed, new int[] {portA, portB}, 30_000, List.of(a, b), null); // b's JIT
                        relayDrain(db, outbox, relayed, new int[] {portA, portB}, drain, List.of(a, b), two);
                    } finally {
                        stop(b);
                    }
                }
            } finally {
                stop(a);
            }
        }
    }

    /** Pauses every relay (a cluster-wide switch), writes {@code messages}, resumes and times until all are seen. */
    private static void relayDrain(
            TestDatabase db,
            Outbox outbox,
            TopicWatcher relayed,
            int[] ports,
            int messages,
            List<Process> relays,
            Cell into)
            throws Exception {
        RelayFixtures.pause(ports);
        vacuum(db);
        fill(db, outbox, messages);
        long before = relayed.received();
        long instances = CpuTime.ofProcesses(relays);
        long machine = CpuTime.ofMachine();
        long started = System.nanoTime();
        admin(ports[0], "/admin/resume");
        Waits.awaitTrue(Duration.ofMinutes(10), () -> relayed.received() - before >= messages, "relay drain");
        double seconds = (System.nanoTime() - started) / 1e9;
        if (into != null) {
            into.add(messages, seconds, CpuTime.ofProcesses(relays) - instances, CpuTime.ofMachine() - machine);
        }
    }

    private static void awaitOwned(int port, int partitions) {
        Waits.awaitTrue(
                Duration.ofMinutes(2),
                () -> {
                    try {
                        Matcher owned = OWNED.matcher(RelayFixtures.adminGet(port, "/admin/leases"));
                        return owned.find()
                                && (owned.group(1).isBlank()
                                                ? 0
                                                : owned.group(1).split(",").length)
                                        == partitions;
                    } catch (Exception e) {
                        return false;
                    }
                },
                "relay on port " + port + " owning " + partitions + " partitions");
    }

    private static void notifiers(TestDatabase db, int drain, int rounds, Progress progress, Cell one, Cell two)
            throws Exception {
        try (BenchReceiver receiver = new BenchReceiver()) {
            int portA = JavaProcess.freePort();
            Process a = startNotifier(db, portA, "courier.notifier.instance-id", "a");
            try {
                JavaProcess.awaitHealthy(a, portA, Duration.ofSeconds(90), "notifier a");
                List<UUID> hundred = endpoints(portA, receiver::url, 100, false);
                notifierDrain(db, receiver, hundred, drain, List.of(a), null);
                for (int round = 1; round <= rounds; round++) {
                    progress.step("round " + round + "/" + rounds + ": notifier, 1 instance", Duration.ofSeconds(10));
                    notifierDrain(db, receiver, hundred, drain, List.of(a), one);
                    progress.step("round " + round + "/" + rounds + ": notifier, 2 instances", Duration.ofSeconds(35));
                    int portB = JavaProcess.freePort();
                    Process b = startNotifier(db, portB, "courier.notifier.instance-id", "b");
                    try {
                        JavaProcess.awaitHealthy(b, portB, Duration.ofSeconds(90), "notifier b");
                        notifierDrain(db, receiver, hundred, drain, List.of(a, b), null); // b's JIT
                        notifierDrain(db, receiver, hundred, drain, List.of(a, b), two);
                    } finally {
                        stop(b);
                    }
                }
            } finally {
                stop(a);
            }
        }
    }

    private static void notifierDrain(
            TestDatabase db,
            BenchReceiver receiver,
            List<UUID> endpoints,
            int count,
            List<Process> notifiers,
            Cell into)
            throws Exception {
        NotificationRows.vacuum(db);
        long before = receiver.received();
        long instances = CpuTime.ofProcesses(notifiers);
        long machine = CpuTime.ofMachine();
        long started = System.nanoTime();
        NotificationRows.fillDue(db, endpoints, count);
        Waits.awaitTrue(Duration.ofMinutes(10), () -> receiver.received() - before >= count, "notifier drain");
        double seconds = (System.nanoTime() - started) / 1e9;
        if (into != null) {
            into.add(count, seconds, CpuTime.ofProcesses(notifiers) - instances, CpuTime.ofMachine() - machine);
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            JavaProcess.kill(process);
        }
    }
}
