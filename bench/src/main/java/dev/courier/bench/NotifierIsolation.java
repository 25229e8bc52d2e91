package dev.courier.bench;

import static dev.courier.bench.NotificationRows.databaseNow;
import static dev.courier.bench.NotificationRows.insideTheNotifier;
import static dev.courier.bench.NotificationRows.vacuum;
import static dev.courier.bench.NotifierApi.get;
import static dev.courier.bench.NotifierApi.submit;

import dev.courier.localservices.database.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/** The isolation scenario: healthy endpoints at a paced REST load, and where each round's time went. */
final class NotifierIsolation {

    private NotifierIsolation() {}

    /**
     * Submits notifications through the REST API at {@code perSecond}, round robin over {@code endpoints}, and
     * records each one's latency from its acceptance to its arrival at the receiver.
     */
    static void paced(
            TestDatabase db,
            int port,
            BenchReceiver receiver,
            List<UUID> endpoints,
            int perSecond,
            Duration cell,
            LatencyRecorder latency)
            throws Exception {
        vacuum(db);
        Timestamp roundStart = databaseNow(db);
        ClaimTimes claimsBefore = ClaimTimes.read(get(port, "/actuator/metrics/courier.notifier.claims"));
        long cpuWaitBefore = cpuWaitMicros();
        receiver.latency = latency;
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        long end = start + cell.toNanos();
        long receivedBefore = receiver.received();
        int submitted;
        try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
            long next = start;
            int i = 0;
            while (next < end) {
                LockSupport.parkNanos(next - System.nanoTime());
                UUID endpoint = endpoints.get(i++ % endpoints.size());
                submitters.execute(() -> submit(port, endpoint));
                next += interval;
            }
            submitted = i;
        }
        Waits.awaitTrue(
                Duration.ofMinutes(2),
                () -> receiver.received() - receivedBefore >= submitted,
                "arrival of the " + submitted + " paced notifications");
        Histogram round = latency.endRound(System.nanoTime() - start);
        receiver.latency = null;
        ClaimTimes claims = ClaimTimes.read(get(port, "/actuator/metrics/courier.notifier.claims"))
                .since(claimsBefore);
        System.err.printf(
                "paced %d/s to %d endpoints: p50 %.1f p99 %.1f ms (%d); %s; %d claims, %.2f ms each; CPU pressure %s%n",
                perSecond,
                endpoints.size(),
                round.getValueAtPercentile(50) / 1_000.0,
                round.getValueAtPercentile(99) / 1_000.0,
                round.getTotalCount(),
                insideTheNotifier(db, endpoints, roundStart),
                claims.count(),
                claims.meanMillis(),
                cpuWaitBefore < 0
                        ? "unknown"
                        : String.format(
                                "%.0f%%",
                                100.0 * (cpuWaitMicros() - cpuWaitBefore) / ((System.nanoTime() - start) / 1e3)));
    }

    /**
     * Time in which at least one task of this machine waited for a CPU ({@code /proc/pressure/cpu}, "some"), in
     * microseconds, or -1 where the kernel does not report it. A round's share of it says how crowded the two cores
     * were: the load, the receivers, PostgreSQL and the notifier share them.
     */
    static long cpuWaitMicros() {
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
            return Long.parseLong(some.substring(some.indexOf("total=") + 6).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The notifier's claim timer ({@code courier.notifier.claims}): how many claims, how long in all. */
    record ClaimTimes(long count, double totalSeconds) {
        private static final Pattern COUNT = Pattern.compile("\"COUNT\",\"value\":([0-9.E]+)");
        private static final Pattern TOTAL = Pattern.compile("\"TOTAL_TIME\",\"value\":([0-9.E-]+)");

        static ClaimTimes read(String metricJson) {
            var count = COUNT.matcher(metricJson);
            var total = TOTAL.matcher(metricJson);
            if (!count.find() || !total.find()) {
                throw new IllegalStateException("unexpected metric: " + metricJson);
            }
            return new ClaimTimes((long) Double.parseDouble(count.group(1)), Double.parseDouble(total.group(1)));
        }

        ClaimTimes since(ClaimTimes earlier) {
            return new ClaimTimes(count - earlier.count, totalSeconds - earlier.totalSeconds);
        }

        double meanMillis() {
            return count == 0 ? 0 : 1000 * totalSeconds / count;
        }
    }
}
