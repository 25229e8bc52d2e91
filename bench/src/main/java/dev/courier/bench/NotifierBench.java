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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./courier bench notifier}: the notifier (its executable jar, a JVM of its own) delivering to a fast local
 * receiver, beside the raw limit (the same HTTP client posting the same bodies with no database), at 1 and 100
 * endpoints; the latency of healthy endpoints alone and beside 20% black-holed ones at the same paced load; and the
 * notifier's memory with a million notifications pending.
 */
public final class NotifierBench {

    private static final int ROUNDS = 3;

    private NotifierBench() {}

    /** A throughput row: the cell's rate and its ratio to the raw limit, each over the rounds. */
    private static String row(String cell, Spread perSecond, Spread vsRaw) {
        return String.format("| %s | %s | %s |%n", cell, perSecond.format("%,.0f"), vsRaw.format("%.2f"));
    }

    public static void main(String[] args) throws Exception {
        Duration cell = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        int drain = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        int pending = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        Summary summary = new Summary("notifier");
        Progress progress = new Progress("notifier", 5 + 2 * ROUNDS, cell.multipliedBy(14 + 5 * ROUNDS));
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "notifierbench");
                BenchReceiver receiver = new BenchReceiver();
                BlackHole blackHole = new BlackHole()) {
            int port = JavaProcess.freePort();
            Process notifier = startNotifier(db, port);
            try {
                JavaProcess.awaitHealthy(notifier, port, Duration.ofSeconds(90), "notifier");
                StringBuilder report = new StringBuilder("## best-effort-notifier benchmark\n\n");
                report.append("Fast receiver: JDK HttpServer on 127.0.0.1 answering 200 at once; 1 KB JSON bodies; ")
                        .append(BenchResults.cellsAndMachine(cell, 1))
                        .append(" PostgreSQL autovacuum ")
                        .append(setting(db, "autovacuum"))
                        .append("; the notification table is vacuumed before each cell and round, never during one.")
                        .append("\n\n### Throughput\n\n")
                        .append(ROUNDS)
                        .append(" rounds, each running the raw limit and both drains once; each cell: median of the")
                        .append(" rounds (lowest–highest); the ratio is each round's drain over the same round's raw")
                        .append(" limit.\n\n")
                        .append("| cell | deliveries/s | vs raw |\n|---|---:|---:|\n");
                progress.step("warm-up: the raw limit and a drain at 1 and at 100 endpoints", cell.multipliedBy(3));
                // The first run warms the client up (JIT, connections); a cold 5 s cell measured 40% of a warm one.
                rawLimit(receiver, cell);
                List<UUID> one = endpoints(port, receiver::url, 1, false);
                // Warm-up (JIT, connection pools, table statistics), as the raw limit had its first seconds: two drains
                // of the cell's size, one per endpoint count, since a cold notifier delivers at half its later rate.
                drain(db, receiver, one, drain);
                List<UUID> hundred = endpoints(port, receiver::url, 100, false);
                drain(db, receiver, hundred, drain);
                List<Double> raws = new ArrayList<>();
                List<Double> atOne = new ArrayList<>();
                List<Double> atHundred = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    progress.step(
                            "throughput round " + round + "/" + ROUNDS + ": raw limit, drain at 1 and at 100 endpoints",
                            cell.multipliedBy(3));
                    raws.add(rawLimit(receiver, cell));
                    atOne.add(drain(db, receiver, one, drain));
                    atHundred.add(drain(db, receiver, hundred, drain));
                }
                Spread raw = Spread.of(raws);
                report.append(row(
                        "raw limit: HttpClient 5 posting from 64 virtual threads, no database",
                        raw,
                        Spread.of(List.of(1.0))));
                Spread oneVsRaw = Spread.ratios(atOne, raws);
                Spread hundredVsRaw = Spread.ratios(atHundred, raws);
                report.append(row("notifier, 1 endpoint (" + drain + " due at once)", Spread.of(atOne), oneVsRaw));
                report.append(
                        row("notifier, 100 endpoints (" + drain + " due at once)", Spread.of(atHundred), hundredVsRaw));
                summary.goal("drain at 1 endpoint / raw HttpClient limit", "×", oneVsRaw, true, 0.8, Judged.MEDIAN, "")
                        .goal(
                                "drain at 100 endpoints / raw HttpClient limit",
                                "×",
                                hundredVsRaw,
                                true,
                                0.7,
                                Judged.MEDIAN,
                                "");

                report.append("\n### Latency of healthy endpoints, submitted (REST) to received\n\n")
                        .append("80 healthy endpoints at 200 notifications/s in all, alone and beside 20 black holes ")
                        .append("in ")
                        .append(ROUNDS)
                        .append(
                                " alternating rounds (median of the rounds, lowest–highest); each round's black holes are ")
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
                        "healthy p99 beside 20 black holes / alone",
                        "×",
                        besideVsAlone,
                        false,
                        1.5,
                        Judged.EVERY_ROUND,
                        "");

                report.append("\n### Platform (issue #24)\n\n")
                        .append("A second notifier JVM on the same database, its circuit breakers out of reach")
                        .append(" (`circuit.minimum-calls` 1,000,000), so that the retry storm lasts the whole cell")
                        .append(" instead of ending when circuits open: the worst case for the lanes.\n\n");
                progress.step(
                        "platform: fan-out, ordered endpoint, first attempts beside a retry storm",
                        cell.multipliedBy(6));
                int platformPort = JavaProcess.freePort();
                Process platform = startNotifier(db, platformPort, "courier.notifier.circuit.minimum-calls", "1000000");
                try {
                    JavaProcess.awaitHealthy(platform, platformPort, Duration.ofSeconds(90), "notifier (platform)");
                    notifier.destroy();
                    notifier.waitFor(30, TimeUnit.SECONDS);
                    NotifierPlatform.fanOut(platformPort, receiver, 30);
                    double fanOut = NotifierPlatform.fanOut(platformPort, receiver, drain / 100);
                    NotifierPlatform.ordered(db, platformPort, receiver, 100, 10);
                    double ordered =
                            NotifierPlatform.ordered(db, platformPort, receiver, 1000, Math.max(1, drain / 1000));
                    report.append("| cell | deliveries/s | vs raw (median) |\n|---|---:|---:|\n")
                            .append(NotifierPlatform.fanOutRow(fanOut, raw.median()))
                            .append(NotifierThroughput.row(
                                    "ordered endpoint, 1,000 keys x " + Math.max(1, drain / 1000)
                                            + " (one at a time per key)",
                                    ordered,
                                    raw.median()))
                            .append("\n| cell | p50 ms | p99 ms | p99 vs alone |\n|---|---:|---:|---:|\n")
                            .append(NotifierPlatform.firstAttemptsBesideRetries(
                                    db, platformPort, receiver, blackHole, cell, 2));
                } finally {
                    platform.destroy();
                    if (!platform.waitFor(30, TimeUnit.SECONDS)) {
                        JavaProcess.kill(platform);
                    }
                }
                notifier = startNotifier(db, port);
                JavaProcess.awaitHealthy(notifier, port, Duration.ofSeconds(90), "notifier");

                progress.step(
                        String.format("%,d pending: fill, then a drain beside them", pending), cell.multipliedBy(4));
                report.append(String.format("%n### %,d pending%n%n", pending))
                        .append("| measure | value |\n|---|---:|\n");
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
                        "| notifier resident memory before / after | %,d / %,d MB |%n",
                        rssBefore / 1024, rssAfter / 1024));
                report.append(String.format(
                        "| deliveries/s, 1 endpoint, with the %,d pending | %.0f (%.0f%% of raw) |%n",
                        pending, withBacklog, 100 * withBacklog / raw.median()));
                report.append("\nCommand: `./courier bench notifier [seconds-per-cell] [drain] [pending]`.\n");
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
}
