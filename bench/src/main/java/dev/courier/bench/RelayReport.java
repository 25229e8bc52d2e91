package dev.courier.bench;

import static dev.courier.bench.RelayBench.RATES;
import static dev.courier.bench.RelayFixtures.KEYS;
import static dev.courier.bench.RelayFixtures.TOPIC_PARTITIONS;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one relay benchmark run measured, per mode and for the raw limits, and its Markdown table. */
final class RelayReport {

    private RelayReport() {}

    /** One relay mode's numbers. */
    record RelayResult(double drain, double fillSeconds, Map<Integer, LatencyRecorder> latency) {}

    /** Everything one run measured, and its table. */
    static final class Results {
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
}
