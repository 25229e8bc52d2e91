package dev.courier.bench;

import static dev.courier.bench.NotificationRows.BODY;
import static dev.courier.bench.NotificationRows.fillRetries;
import static dev.courier.bench.NotificationRows.retire;
import static dev.courier.bench.NotificationRows.vacuum;
import static dev.courier.bench.NotifierApi.call;
import static dev.courier.bench.NotifierApi.endpoints;
import static dev.courier.bench.NotifierIsolation.paced;
import static dev.courier.bench.NotifierThroughput.row;

import dev.courier.localservices.database.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform scenarios of issue #24: one message fanned out to 100 subscribed endpoints, an ordered endpoint with
 * 1,000 keys, and first attempts beside a storm of retries.
 */
final class NotifierPlatform {

    private NotifierPlatform() {}

    /**
     * Messages to an application with 100 subscribed endpoints, sent through the REST API by 8 clients: deliveries/s
     * from the first message sent to the last delivery received.
     */
    static double fanOut(int port, BenchReceiver receiver, int messages) throws Exception {
        String application = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        expect(
                call(
                        port,
                        "/api/applications",
                        "{\"id\":\"" + application + "\",\"ratePerSecond\":100000,\"maxConcurrency\":10000}",
                        null),
                201);
        for (int i = 0; i < 100; i++) {
            expect(
                    call(
                            port,
                            "/api/applications/" + application + "/endpoints",
                            "{\"url\":\"" + receiver.url("/fast-" + UUID.randomUUID())
                                    + "\",\"maxConcurrency\":256,\"ratePerSecond\":100000,\"eventTypes\":[\"payment.*\"]}",
                            null),
                    201);
        }
        long before = receiver.received();
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                senders.execute(() -> {
                    for (int m = next.getAndIncrement(); m < messages; m = next.getAndIncrement()) {
                        expect(
                                call(
                                        port,
                                        "/api/applications/" + application + "/messages",
                                        "{\"eventType\":\"payment.succeeded\",\"payload\":" + BODY + "}",
                                        UUID.randomUUID().toString()),
                                202);
                    }
                });
            }
        }
        long deliveries = 100L * messages;
        Waits.awaitTrue(Duration.ofMinutes(10), () -> receiver.received() - before >= deliveries, "fan-out deliveries");
        double perSecond = deliveries / ((System.nanoTime() - start) / 1e9);
        System.err.printf("fan-out of %d messages to 100 endpoints: %.0f deliveries/s%n", messages, perSecond);
        return perSecond;
    }

    /**
     * An ordered endpoint with {@code keys} keys of {@code perKey} deliveries each, as its intake leaves them (each
     * key's first due, the rest held behind it): deliveries/s until all are received, each key one at a time.
     */
    static double ordered(TestDatabase db, int port, BenchReceiver receiver, int keys, int perKey) throws Exception {
        HttpResponse<String> created = call(
                port,
                "/api/endpoints",
                "{\"url\":\"" + receiver.url("/fast-" + UUID.randomUUID())
                        + "\",\"maxConcurrency\":256,\"ratePerSecond\":100000,\"ordering\":\"ordered\"}",
                null);
        expect(created, 201);
        UUID endpoint = UUID.fromString(created.body()
                .substring(created.body().indexOf("\"id\":\"") + 6)
                .substring(0, 36));
        vacuum(db);
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO notifier_notification (id, endpoint_id,"
                        + " source, idempotency_key, event_type, body, status, next_attempt_at, ordering_key)"
                        + " SELECT gen_random_uuid(), ?, 'bench', gen_random_uuid()::text, 'bench.event', ?,"
                        + " 'PENDING', CASE WHEN s = 0 THEN now() ELSE CAST('infinity' AS timestamptz) END,"
                        + " 'key-' || k FROM generate_series(0, ? - 1) AS s, generate_series(0, ? - 1) AS k"
                        + " ORDER BY s, k")) {
            insert.setObject(1, endpoint);
            insert.setString(2, BODY);
            insert.setInt(3, perKey);
            insert.setInt(4, keys);
            insert.executeUpdate();
        }
        long before = receiver.received();
        long start = System.nanoTime();
        long total = (long) keys * perKey;
        Waits.awaitTrue(Duration.ofMinutes(10), () -> receiver.received() - before >= total, "ordered deliveries");
        double perSecond = total / ((System.nanoTime() - start) / 1e9);
        System.err.printf("ordered endpoint, %d keys x %d: %.0f deliveries/s%n", keys, perKey, perSecond);
        return perSecond;
    }

    /**
     * Healthy endpoints at a paced REST load, alone and beside {@code holes} black-holed endpoints with retries due
     * (each retry holds a request slot for its whole timeout), in alternating rounds; the percentiles pool the rounds.
     */
    static String firstAttemptsBesideRetries(
            TestDatabase db, int port, BenchReceiver receiver, BlackHole blackHole, Duration cell, int rounds)
            throws Exception {
        List<UUID> healthy = endpoints(port, receiver::url, 40, false);
        LatencyRecorder warmUp = new LatencyRecorder();
        paced(db, port, receiver, healthy, 200, Duration.ofSeconds(5), warmUp);
        LatencyRecorder alone = new LatencyRecorder();
        LatencyRecorder beside = new LatencyRecorder();
        int holes = 100;
        for (int round = 0; round < rounds; round++) {
            paced(db, port, receiver, healthy, 200, cell, alone);
            List<UUID> storm = new ArrayList<>(endpoints(port, blackHole::url, holes, true));
            fillRetries(db, storm, holes * 40);
            paced(db, port, receiver, healthy, 200, cell, beside);
            retire(db, storm);
            NotifierApi.awaitIdle(port, storm);
        }
        return String.format(
                        "| first attempts, 40 healthy endpoints at 200/s, alone | %.1f | %.1f | 100%% |%n",
                        alone.percentileMillis(50), alone.percentileMillis(99))
                + String.format(
                        "| the same beside a retry storm (%d black holes, %,d retries due, each holding a slot 1 s)"
                                + " | %.1f | %.1f | %.0f%% |%n",
                        holes,
                        holes * 40,
                        beside.percentileMillis(50),
                        beside.percentileMillis(99),
                        100 * beside.percentileMillis(99) / alone.percentileMillis(99));
    }

    static String fanOutRow(double perSecond, double raw) {
        return row("one message fanned out to 100 subscribed endpoints (REST, 8 clients)", perSecond, raw);
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    "expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
    }
}
