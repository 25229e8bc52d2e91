package dev.courier.bench;

import static dev.courier.bench.NotificationRows.fillDue;
import static dev.courier.bench.NotificationRows.fillScheduled;
import static dev.courier.bench.NotificationRows.retire;
import static dev.courier.bench.NotificationRows.setting;
import static dev.courier.bench.NotificationRows.tableSize;
import static dev.courier.bench.NotifierApi.awaitIdle;
import static dev.courier.bench.NotifierApi.endpoints;
import static dev.courier.bench.NotifierApi.rssKb;
import static dev.courier.bench.NotifierApi.startNotifier;
import static dev.courier.bench.NotifierIsolation.paced;
import static dev.courier.bench.NotifierThroughput.drain;
import static dev.courier.bench.NotifierThroughput.rawLimit;

import dev.courier.bench.Summary.Judged;
import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.localservices.process.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./courier bench notifier}: the notifier (its executable jar, a JVM of its own) delivering to a fast local
 * receiver, beside the raw limit (the same HTTP client posting the same bodies with no database), at 1 and 100
 * endpoints; the latency of healthy endpoints alone and beside 20% black-holed ones at the same paced load; and the
 * notifier's memory with a million notifications pending.
 *
 * <p>Usage: {@code NotifierBench [seconds-per-cell] [drain] [pending] [sections]}, sections a comma-separated choice
 * of {@code throughput,latency,platform,pending} (all by default).
 */
public final class NotifierBench {

    private static final int ROUNDS = 3;

    private NotifierBench() {}

    /** A throughput row: the cell's rate, its ratio to the raw limit and its CPU, each over the rounds. */
    private static String row(String cell, Spread perSecond, Spread vsRaw, DrainCpu cpu) {
        return String.format(
                "| %s | %s | %s | %s | %s |%n",
                cell, perSecond.format("%,.0f"), vsRaw.format("%.2f"), cpu.process(), cpu.machine());
    }

    /** The parts of the benchmark, in the order they run; the fourth argument picks some (comma-separated). */
    private static final List<String> SECTIONS = List.of("throughput", "latency", "platform", "pending");

    public static void main(String[] args) throws Exception {
        Duration cell = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        int drain = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        int pending = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        Set<String> sections = sections(args.length > 3 ? args[3] : String.join(",", SECTIONS));
        Summary summary = new Summary("notifier");
        Progress progress = new Progress("notifier", steps(sections), planned(sections, cell));
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "notifierbench");
                BenchReceiver receiver = new BenchReceiver();
                BlackHole blackHole = new BlackHole()) {
            int port = JavaProcess.freePort();
            Process notifier = startNotifier(db, port);
            try {
                JavaProcess.awaitHealthy(notifier, port, Duration.ofSeconds(90), "notifier");
                StringBuilder report = new StringBuilder("## best-effort-notifier benchmark\n\n");
                report.append("Fast receiver: JDK HttpServer on 127.0.0.1 answering 200 at once; 1 KB JSON bodies; ")
                        .append(BenchResults.cellsAndMachine(cell, ROUNDS))
                        .append(" PostgreSQL autovacuum ")
                        .append(setting(db, "autovacuum"))
                        .append(
                                "; the notification and attempt tables are vacuumed before each cell and round, never during")
                        .append(" one.")
                        .append("\n");
                progress.step("warm-up: the raw limit and a drain at 1 and at 100 endpoints", cell.multipliedBy(3));
                // The first run warms the client up (JIT, connections); a cold 5 s cell measured 40% of a warm one.
                double warmRaw = rawLimit(receiver, cell);
                List<UUID> one = endpoints(port, receiver::url, 1, false);
                // Warm-up (JIT, connection pools, table statistics), as the raw limit had its first seconds: two drains
                // of the cell's size, one per endpoint count, since a cold notifier delivers at half its later rate.
                drain(db, receiver, one, drain);
                List<UUID> hundred = endpoints(port, receiver::url, 100, false);
                drain(db, receiver, hundred, drain);
                double raw = sections.contains("throughput")
                        ? throughput(db, port, notifier, receiver, one, hundred, cell, drain, progress, report, summary)
                        : warmRaw;
                if (sections.contains("latency")) {
                    latency(db, port, receiver, blackHole, cell, progress, report, summary);
                }
                if (sections.contains("platform")) {
                    notifier = platform(db, port, notifier, receiver, blackHole, cell, drain, raw, progress, report);
                }
                if (sections.contains("pending")) {
                    pending(db, notifier, receiver, one, cell, drain, pending, raw, progress, report);
                }
                report.append("\nCommand: `./courier bench notifier [seconds-per-cell] [drain] [pending] [")
                        .append(String.join(",", SECTIONS))
                        .append("]`.\n");
                BenchResults.publish("notifier.md", report.append("\n").append(summary.table()));
                summary.write();
            } finally {
                notifier.destroy();
                if (!notifier.waitFor(30, TimeUnit.SECONDS)) {
                    JavaProcess.kill(notifier);
                }
            }
        }
    }

    /** Rounds of the raw limit and the drains at 1 and at 100 endpoints; returns the raw limit's median. */
    private static double throughput(
            TestDatabase db,
            int port,
            Process notifier,
            BenchReceiver receiver,
            List<UUID> one,
            List<UUID> hundred,
            Duration cell,
            int drain,
            Progress progress,
            StringBuilder report,
            Summary summary)
            throws Exception {
        report.append("\n### Throughput\n\n")
                .append(ROUNDS)
                .append(" rounds, each running the raw limit, both drains and the hand-written durable sender once;")
                .append(" each cell: median of the")
                .append(" rounds (lowest–highest); the ratio is each round's drain over the same round's raw")
                .append(
                        " limit. CPU: milliseconds per 1,000 deliveries, of the notifier's JVM and of the whole machine")
                .append(" (database, receiver and benchmark included).\n\n")
                .append("| cell | deliveries/s | vs raw | notifier CPU | machine CPU |\n|---|---:|---:|---:|---:|\n");
        List<Double> raws = new ArrayList<>();
        List<Double> atOne = new ArrayList<>();
        List<Double> atHundred = new ArrayList<>();
        DrainCpu rawCpu = new DrainCpu();
        DrainCpu oneCpu = new DrainCpu();
        DrainCpu hundredCpu = new DrainCpu();
        List<Double> durables = new ArrayList<>();
        DrainCpu durableCpu = new DrainCpu();
        // The hand-written sender's endpoint: disabled, so that the notifier leaves its notifications alone.
        UUID byHand = endpoints(port, receiver::url, 1, false).getFirst();
        retire(db, List.of(byHand));
        for (int round = 1; round <= ROUNDS; round++) {
            progress.step(
                    "throughput round " + round + "/" + ROUNDS
                            + ": raw limit, drain at 1 and at 100 endpoints, hand-written durable sender",
                    cell.multipliedBy(4));
            raws.add(rawLimit(receiver, cell, rawCpu));
            atOne.add(drain(db, receiver, one, drain, notifier, oneCpu));
            atHundred.add(drain(db, receiver, hundred, drain, notifier, hundredCpu));
            durables.add(DurableSenderLimit.drain(db, receiver, byHand, drain, durableCpu));
        }
        Spread raw = Spread.of(raws);
        report.append(row(
                "raw limit: HttpClient 5 posting from 64 virtual threads, no database",
                raw,
                Spread.of(List.of(1.0)),
                rawCpu));
        Spread oneVsRaw = Spread.ratios(atOne, raws);
        Spread hundredVsRaw = Spread.ratios(atHundred, raws);
        Spread durableVsRaw = Spread.ratios(durables, raws);
        report.append(row(
                "limit of a durable sender: hand-written claim, post and record on the notifier's tables, 1 endpoint ("
                        + drain + " due)",
                Spread.of(durables),
                durableVsRaw,
                durableCpu));
        report.append(row("notifier, 1 endpoint (" + drain + " due at once)", Spread.of(atOne), oneVsRaw, oneCpu));
        report.append(row(
                "notifier, 100 endpoints (" + drain + " due at once)", Spread.of(atHundred), hundredVsRaw, hundredCpu));
        Spread oneVsDurable = Spread.ratios(atOne, durables);
        Spread hundredVsDurable = Spread.ratios(atHundred, durables);
        report.append(String.format(
                "%nAgainst the hand-written durable sender in the same round: notifier at 1 endpoint %s, at 100 endpoints"
                        + " %s.%n",
                oneVsDurable.format("%.2f"), hundredVsDurable.format("%.2f")));
        String floor = "the limit of a durable sender on this machine is " + durableVsRaw.format("%.2f") + " × raw";
        summary.goal("drain at 1 endpoint / raw HttpClient limit", "×", oneVsRaw, true, 0.8, Judged.MEDIAN, floor)
                .goal(
                        "drain at 100 endpoints / raw HttpClient limit",
                        "×",
                        hundredVsRaw,
                        true,
                        0.7,
                        Judged.MEDIAN,
                        floor)
                .goal(
                        "drain at 1 endpoint / hand-written durable sender",
                        "×",
                        oneVsDurable,
                        true,
                        0.8,
                        Judged.MEDIAN,
                        "the issue's 0.8 × raw, applied to the limit measured here")
                .goal(
                        "drain at 100 endpoints / hand-written durable sender",
                        "×",
                        hundredVsDurable,
                        true,
                        0.7,
                        Judged.MEDIAN,
                        "the issue's 0.7 × raw, applied to the limit measured here");
        return raw.median();
    }

    /** Healthy endpoints' latency alone and beside black holes, in alternating rounds. */
    private static void latency(
            TestDatabase db,
            int port,
            BenchReceiver receiver,
            BlackHole blackHole,
            Duration cell,
            Progress progress,
            StringBuilder report,
            Summary summary)
            throws Exception {
        report.append("\n### Latency of healthy endpoints, submitted (REST) to received\n\n")
                .append("80 healthy endpoints at 200 notifications/s in all, alone and beside 20 black holes in ")
                .append(ROUNDS)
                .append(" alternating rounds (median of the rounds, lowest–highest); each round's black holes are ")
                .append("20 new endpoints with 100 notifications due each, which accept the connection and ")
                .append("never answer (timeout 1 s, concurrency 2, retried every second).\n\n")
                .append("| cell | p50 ms | p99 ms | p99 vs alone |\n|---|---:|---:|---:|\n");
        List<UUID> healthy = endpoints(port, receiver::url, 80, false);
        progress.step("latency: warm-up of the REST intake", cell.plus(Duration.ofSeconds(10)));
        LatencyRecorder warmUp = new LatencyRecorder();
        // The REST intake warms up too: the first seconds of paced load were 5-10 times slower than later ones.
        paced(db, port, receiver, healthy, 200, Duration.ofSeconds(Math.max(10, cell.toSeconds())), warmUp);
        if (warmUp.count() == 0) {
            throw new IllegalStateException("the warm-up delivered nothing");
        }
        Rounds alone = new Rounds();
        Rounds beside = new Rounds();
        for (int round = 1; round <= ROUNDS; round++) {
            progress.step(
                    "latency round " + round + "/" + ROUNDS + ": 80 healthy alone, then beside 20 black holes",
                    cell.multipliedBy(2).plus(Duration.ofSeconds(5)));
            paced(db, port, receiver, healthy, 200, cell, alone.next());
            List<UUID> holes = endpoints(port, blackHole::url, 20, true);
            fillDue(db, holes, 2_000);
            paced(db, port, receiver, healthy, 200, cell, beside.next());
            retire(db, holes);
            awaitIdle(port, holes);
        }
        Spread besideVsAlone = beside.percentileRatio(alone, 99);
        report.append(String.format(
                "| 80 healthy alone | %s | %s | 1 |%n",
                alone.percentileMillis(50).format("%.1f"),
                alone.percentileMillis(99).format("%.1f")));
        report.append(String.format(
                "| 80 healthy beside 20 black holes (2,000 due) | %s | %s | %s |%n",
                beside.percentileMillis(50).format("%.1f"),
                beside.percentileMillis(99).format("%.1f"),
                besideVsAlone.format("%.2f")));
        summary.goal(
                "healthy p99 beside 20 black holes / alone", "×", besideVsAlone, false, 1.5, Judged.EVERY_ROUND, "");
    }

    /**
     * Issue #24's platform cells on a second notifier JVM (the first one is stopped meanwhile); returns the first
     * notifier started again.
     */
    private static Process platform(
            TestDatabase db,
            int port,
            Process notifier,
            BenchReceiver receiver,
            BlackHole blackHole,
            Duration cell,
            int drain,
            double raw,
            Progress progress,
            StringBuilder report)
            throws Exception {
        report.append("\n### Platform (issue #24)\n\n")
                .append("A second notifier JVM on the same database, its circuit breakers out of reach")
                .append(" (`circuit.minimum-calls` 1,000,000), so that the retry storm lasts the whole cell")
                .append(" instead of ending when circuits open: the worst case for the lanes.\n\n");
        progress.step("platform: fan-out, ordered endpoint, first attempts beside a retry storm", cell.multipliedBy(6));
        int platformPort = JavaProcess.freePort();
        Process platform = startNotifier(db, platformPort, "courier.notifier.circuit.minimum-calls", "1000000");
        try {
            JavaProcess.awaitHealthy(platform, platformPort, Duration.ofSeconds(90), "notifier (platform)");
            notifier.destroy();
            notifier.waitFor(30, TimeUnit.SECONDS);
            NotifierPlatform.fanOut(platformPort, receiver, 30);
            double fanOut = NotifierPlatform.fanOut(platformPort, receiver, drain / 100);
            NotifierPlatform.ordered(db, platformPort, receiver, 100, 10);
            double ordered = NotifierPlatform.ordered(db, platformPort, receiver, 1000, Math.max(1, drain / 1000));
            report.append("| cell | deliveries/s | vs raw (median) |\n|---|---:|---:|\n")
                    .append(NotifierPlatform.fanOutRow(fanOut, raw))
                    .append(NotifierThroughput.row(
                            "ordered endpoint, 1,000 keys x " + Math.max(1, drain / 1000) + " (one at a time per key)",
                            ordered,
                            raw))
                    .append("\n| cell | p50 ms | p99 ms | p99 vs alone |\n|---|---:|---:|---:|\n")
                    .append(NotifierPlatform.firstAttemptsBesideRetries(
                            db, platformPort, receiver, blackHole, cell, 2));
        } finally {
            platform.destroy();
            if (!platform.waitFor(30, TimeUnit.SECONDS)) {
                JavaProcess.kill(platform);
            }
        }
        Process restarted = startNotifier(db, port);
        JavaProcess.awaitHealthy(restarted, port, Duration.ofSeconds(90), "notifier");
        return restarted;
    }

    /** The notifier's memory and drain with {@code pending} notifications scheduled a day ahead. */
    private static void pending(
            TestDatabase db,
            Process notifier,
            BenchReceiver receiver,
            List<UUID> one,
            Duration cell,
            int drain,
            int pending,
            double raw,
            Progress progress,
            StringBuilder report)
            throws Exception {
        progress.step(String.format("%,d pending: fill, then a drain beside them", pending), cell.multipliedBy(4));
        report.append(String.format("%n### %,d pending%n%n", pending)).append("| measure | value |\n|---|---:|\n");
        long rssBefore = rssKb(notifier);
        long filled = System.nanoTime();
        fillScheduled(db, one, pending);
        double fillSeconds = (System.nanoTime() - filled) / 1e9;
        long rssAfter = rssKb(notifier);
        double withBacklog = drain(db, receiver, one, drain);
        report.append(String.format("| notifications pending (scheduled a day ahead) | %,d |%n", pending));
        report.append(String.format("| inserting them (one INSERT ... SELECT) | %.0f s |%n", fillSeconds));
        report.append(String.format("| table and indexes on disk | %s |%n", tableSize(db)));
        report.append(String.format(
                "| notifier resident memory before / after | %,d / %,d MB |%n", rssBefore / 1024, rssAfter / 1024));
        report.append(String.format(
                "| deliveries/s, 1 endpoint, with the %,d pending | %.0f (%.0f%% of raw) |%n",
                pending, withBacklog, 100 * withBacklog / raw));
    }

    private static Set<String> sections(String argument) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String section : argument.split(",")) {
            String name = section.strip();
            if (!SECTIONS.contains(name)) {
                throw new IllegalArgumentException(
                        "Unknown section '" + name + "' of the notifier benchmark (available: " + SECTIONS + ")");
            }
            chosen.add(name);
        }
        return chosen;
    }

    private static int steps(Set<String> sections) {
        return 1
                + (sections.contains("throughput") ? ROUNDS : 0)
                + (sections.contains("latency") ? 1 + ROUNDS : 0)
                + (sections.contains("platform") ? 1 : 0)
                + (sections.contains("pending") ? 1 : 0);
    }

    private static Duration planned(Set<String> sections, Duration cell) {
        int cells = 3
                + (sections.contains("throughput") ? 3 * ROUNDS : 0)
                + (sections.contains("latency") ? 1 + 2 * ROUNDS : 0)
                + (sections.contains("platform") ? 6 : 0)
                + (sections.contains("pending") ? 4 : 0);
        return cell.multipliedBy(cells);
    }
}
