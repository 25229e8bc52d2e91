package dev.courier.bench;

import static dev.courier.bench.RelayBench.RATES;
import static dev.courier.bench.RelayFixtures.KEYS;
import static dev.courier.bench.RelayFixtures.TOPIC_PARTITIONS;

import dev.courier.bench.Summary.Judged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the relay benchmark measured, round by round, per relay variant and for the raw limits; its tables. */
final class RelayReport {

    private RelayReport() {}

    /** A relay process: its name in the tables, mode, extra settings, and whether the table is vacuumed after the drain. */
    record Variant(String name, String mode, Map<String, String> settings, boolean vacuumAfterDrain) {}

    /** Everything one run measured, one value (or latency recorder) per round. */
    static final class Results {
        final int drainMessages;
        final List<Variant> variants;
        final List<Double> rawDrain = new ArrayList<>();
        final List<Double> databaseAlone = new ArrayList<>();
        /** Debezium's engine alone reading the same inserts, per round (none with {@code --floors}). */
        final List<Double> debeziumAlone = new ArrayList<>();
        /** Debezium's engine alone at 1,000 msg/s: from each commit's return to the engine handing the insert over. */
        final Rounds debeziumAloneLatency = new Rounds();

        private final Map<Integer, Rounds> rawLatency = new LinkedHashMap<>();
        private final Map<String, List<Double>> drains = new LinkedHashMap<>();
        private final Map<String, Rounds> latencies = new LinkedHashMap<>();
        private final Map<String, Rounds> wakeUps = new LinkedHashMap<>();

        Results(int drainMessages, List<Variant> variants) {
            this.drainMessages = drainMessages;
            this.variants = variants;
        }

        Rounds rawLatency(int rate) {
            return rawLatency.computeIfAbsent(rate, r -> new Rounds());
        }

        List<Double> drain(Variant variant) {
            return drains.computeIfAbsent(variant.name(), v -> new ArrayList<>());
        }

        Rounds latency(Variant variant, int rate) {
            return latencies.computeIfAbsent(variant.name() + "@" + rate, v -> new Rounds());
        }

        /** From each commit's return to the first NOTIFY after it, heard beside the relay. */
        Rounds wakeUp(Variant variant, int rate) {
            return wakeUps.computeIfAbsent(variant.name() + "@" + rate, v -> new Rounds());
        }

        StringBuilder report(int rounds, Duration perRate) {
            StringBuilder report = new StringBuilder("### Relay against the raw producer and the database alone\n\n")
                    .append(Runtime.getRuntime().availableProcessors())
                    .append(" cores shared by PostgreSQL, the Kafka broker, the relay and the load generator; JDK ")
                    .append(Runtime.version().feature())
                    .append("; 1 KB payloads, ")
                    .append(KEYS)
                    .append(" keys, topics with ")
                    .append(TOPIC_PARTITIONS)
                    .append(" partitions; the broker runs with the JVM options of Kafka's start scripts (G1, a fixed"
                            + " 1 GB heap), the relay with a fixed 1 GB heap. ")
                    .append(rounds)
                    .append(
                            " rounds, each running every variant once; each cell: median of the rounds (lowest–highest).")
                    .append(String.format(
                            " Drains of %,d messages; %d s per rate, right after the drain.%n%n",
                            drainMessages, perRate.toSeconds()))
                    .append("| scenario |");
            variants.forEach(
                    variant -> report.append(" ").append(variant.name()).append(" |"));
            report.append(" raw producer |\n|---|");
            variants.forEach(variant -> report.append("---:|"));
            report.append("---:|\n");
            report.append("| drain (msg/s) |");
            variants.forEach(variant -> report.append(" ")
                    .append(Spread.of(drain(variant)).format("%,.0f"))
                    .append(" |"));
            report.append(" ").append(Spread.of(rawDrain).format("%,.0f")).append(" |\n");
            report.append("| drain / database alone |");
            variants.forEach(variant -> report.append(" ")
                    .append(Spread.ratios(drain(variant), databaseAlone).format("%.2f"))
                    .append(" |"));
            report.append(" |\n");
            report.append("| database alone: read and delete the same rows, 1 connection, no Kafka (msg/s) | ")
                    .append(Spread.of(databaseAlone).format("%,.0f"))
                    .append(" |")
                    .append(" |".repeat(variants.size()))
                    .append("\n");
            if (!debeziumAlone.isEmpty()) {
                Variant cdc = variants.get(1);
                report.append("| Debezium's engine alone: the same inserts read from a slot with the cdc relay's")
                        .append(" settings, no Kafka (msg/s) | | ")
                        .append(Spread.of(debeziumAlone).format("%,.0f"))
                        .append(" | |\n| cdc drain / Debezium's engine alone | | ")
                        .append(Spread.ratios(drain(cdc), debeziumAlone).format("%.2f"))
                        .append(" | |\n");
            }
            for (int rate : RATES) {
                if (rate == 1_000 && !debeziumAlone.isEmpty()) {
                    report.append("| 1,000 msg/s: Debezium's engine alone, commit→record p50 / p99 (ms) | | ")
                            .append(debeziumAloneLatency.percentileMillis(50).format("%.1f"))
                            .append(" / ")
                            .append(debeziumAloneLatency.percentileMillis(99).format("%.1f"))
                            .append(" | |\n");
                }
                for (double percentile : new double[] {50, 99, 99.9}) {
                    report.append(String.format(
                            "| %,d msg/s: commit→consume p%s (ms) |",
                            rate, percentile == 99.9 ? "99.9" : Integer.toString((int) percentile)));
                    for (Variant variant : variants) {
                        report.append(" ")
                                .append(latency(variant, rate)
                                        .percentileMillis(percentile)
                                        .format("%.1f"))
                                .append(" |");
                    }
                    report.append(" ")
                            .append(rawLatency(rate)
                                    .percentileMillis(percentile)
                                    .format("%.1f"))
                            .append(" |\n");
                }
                report.append(String.format("| %,d msg/s: commit→wake-up p50 / p99 (ms) |", rate));
                for (Variant variant : variants) {
                    Rounds wakeUp = wakeUp(variant, rate);
                    report.append(
                                    variant.mode().equals("polling")
                                            ? " " + wakeUp.percentileMillis(50).format("%.1f") + " / "
                                                    + wakeUp.percentileMillis(99)
                                                            .format("%.1f")
                                            : " –")
                            .append(" |");
                }
                report.append(" – |\n");
                report.append(String.format("| %,d msg/s: delivered (msg/s) |", rate));
                for (Variant variant : variants) {
                    report.append(" ")
                            .append(latency(variant, rate).perSecond().format("%,.0f"))
                            .append(" |");
                }
                report.append(" ")
                        .append(rawLatency(rate).perSecond().format("%,.0f"))
                        .append(" |\n");
            }
            report.append("\nRaw producer: same settings as the relay's (acks=all, idempotent, lz4, linger 0 ms,")
                    .append(" batch 256 KB); its latency runs from send() to consume, the relays' from the outbox")
                    .append(" commit to consume. The database alone: `DELETE … RETURNING` of 4,000 rows per statement")
                    .append(" from a vacuumed table, commits not waiting for the WAL flush, every column decoded.")
                    .append(" Commit→wake-up: from the commit's return to the first NOTIFY after it, heard by a")
                    .append(" listener of the bench's own beside the relay's; the rest of the polling relay's latency")
                    .append(" is its fetch, Kafka and the consumer.\n");
            return report;
        }

        /** Polling's p99 at {@code rate} right after the drain, at most {@code target} ms. */
        private Summary.Goal pollingP99(Variant polling, int rate, double target) {
            return new Summary.Goal(
                    String.format("polling p99 at %,d msg/s right after the drain", rate),
                    "ms",
                    latency(polling, rate).percentileMillis(99),
                    false,
                    target,
                    Judged.MEDIAN,
                    "raw producer p99 " + rawLatency(rate).percentileMillis(99).format("%.1f") + " ms");
        }

        /** The issue's goals for the relay, for {@code summary.json}. */
        Summary summary() {
            Variant polling = variants.getFirst();
            Variant cdc = variants.get(1);
            return new Summary("relay")
                    .goal(pollingP99(polling, 1_000, 10))
                    .goal(pollingP99(polling, 5_000, 20))
                    .goal(
                            "cdc p99 at 1,000 msg/s",
                            "ms",
                            latency(cdc, 1_000).percentileMillis(99),
                            false,
                            15,
                            Judged.MEDIAN,
                            debeziumAlone.isEmpty()
                                    ? ""
                                    : "Debezium's engine alone hands over an insert "
                                            + debeziumAloneLatency
                                                    .percentileMillis(99)
                                                    .format("%.1f")
                                            + " ms after its commit at p99 (no Kafka); raw producer p99 "
                                            + rawLatency(1_000)
                                                    .percentileMillis(99)
                                                    .format("%.1f") + " ms")
                    .goal(
                            "cdc drain / polling drain",
                            "×",
                            Spread.ratios(drain(cdc), drain(polling)),
                            true,
                            0.8,
                            Judged.MEDIAN,
                            debeziumAlone.isEmpty()
                                    ? ""
                                    : "Debezium's engine alone reads "
                                            + Spread.of(debeziumAlone).format("%,.0f") + " msg/s, "
                                            + Spread.ratios(debeziumAlone, drain(polling))
                                                    .format("%.2f")
                                            + "× the polling drain; the cdc drain is "
                                            + Spread.ratios(drain(cdc), debeziumAlone)
                                                    .format("%.2f")
                                            + "× the engine alone")
                    .goal(
                            "polling drain / database alone",
                            "×",
                            Spread.ratios(drain(polling), databaseAlone),
                            true,
                            0.9,
                            Judged.MEDIAN,
                            "database alone " + Spread.of(databaseAlone).format("%,.0f") + " msg/s");
        }
    }
}
