package dev.courier.bench;

import com.sun.net.httpserver.HttpServer;
import dev.courier.testsupport.database.DatabaseKind;
import dev.courier.testsupport.database.TestDatabase;
import dev.courier.testsupport.process.JavaProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * {@code ./courier bench notifier}: the notifier (its executable jar, a JVM of its own) delivering to a fast local
 * receiver, beside the raw limit (the same HTTP client posting the same bodies with no database), at 1 and 100
 * endpoints; the latency of healthy endpoints alone and beside 20% black-holed ones at the same paced load; and the
 * notifier's memory with a million notifications pending.
 */
public final class NotifierBench {

    private static final String TOKEN = "bench-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BODY = body();
    private static final int ISOLATION_ROUNDS = 3;
    private static final java.util.regex.Pattern IDLE = java.util.regex.Pattern.compile("\"inFlight\":0[,}]");

    private NotifierBench() {}

    public static void main(String[] args) throws Exception {
        Duration cell = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        int drain = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        int pending = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
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
                        .append("| cell | deliveries/s | vs raw |\n|---|---:|---:|\n");
                // The first run warms the client up (JIT, connections); a cold 5 s cell measured 40% of a warm one.
                rawLimit(receiver, cell);
                double raw = rawLimit(receiver, cell);
                report.append(row("raw limit: HttpClient 5 posting from 64 virtual threads, no database", raw, raw));
                List<UUID> one = endpoints(port, receiver::url, 1, false);
                // Warm-up (JIT, connection pools, table statistics), as the raw limit had its first seconds: two drains
                // of the cell's size, one per endpoint count, since a cold notifier delivers at half its later rate.
                drain(db, receiver, one, drain);
                List<UUID> hundred = endpoints(port, receiver::url, 100, false);
                drain(db, receiver, hundred, drain);
                double atOne = drain(db, receiver, one, drain);
                report.append(row("notifier, 1 endpoint (" + drain + " due at once)", atOne, raw));
                double atHundred = drain(db, receiver, hundred, drain);
                report.append(row("notifier, 100 endpoints (" + drain + " due at once)", atHundred, raw));

                report.append("\n### Latency of healthy endpoints, submitted (REST) to received\n\n")
                        .append("80 healthy endpoints at 200 notifications/s in all, alone and beside 20 black holes ")
                        .append("in ")
                        .append(ISOLATION_ROUNDS)
                        .append(" alternating rounds (the percentiles pool the rounds); each round's black holes are ")
                        .append("20 new endpoints with 100 notifications due each, which accept the connection and ")
                        .append("never answer (timeout 1 s, concurrency 2, retried every second).\n\n")
                        .append("| cell | p50 ms | p99 ms | p99 vs alone |\n|---|---:|---:|---:|\n");
                List<UUID> healthy = endpoints(port, receiver::url, 80, false);
                LatencyRecorder warmUp = new LatencyRecorder();
                // The REST intake warms up too: the first seconds of paced load were 5-10 times slower than later ones.
                paced(db, port, receiver, healthy, 200, Duration.ofSeconds(Math.max(10, cell.toSeconds())), warmUp);
                if (warmUp.count() == 0) {
                    throw new IllegalStateException("the warm-up delivered nothing");
                }
                LatencyRecorder alone = new LatencyRecorder();
                LatencyRecorder beside = new LatencyRecorder();
                for (int round = 0; round < ISOLATION_ROUNDS; round++) {
                    paced(db, port, receiver, healthy, 200, cell, alone);
                    List<UUID> holes = endpoints(port, blackHole::url, 20, true);
                    fillDue(db, holes, 2_000);
                    paced(db, port, receiver, healthy, 200, cell, beside);
                    retire(db, holes);
                    awaitIdle(port, holes);
                }
                report.append(String.format(
                        "| 80 healthy alone | %.1f | %.1f | 100%% |%n",
                        alone.percentileMillis(50), alone.percentileMillis(99)));
                report.append(String.format(
                        "| 80 healthy beside 20 black holes (2,000 due) | %.1f | %.1f | %.0f%% |%n",
                        beside.percentileMillis(50),
                        beside.percentileMillis(99),
                        100 * beside.percentileMillis(99) / alone.percentileMillis(99)));

                report.append("\n### A million pending\n\n").append("| measure | value |\n|---|---:|\n");
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
                        "| deliveries/s, 1 endpoint, with the million pending | %.0f (%.0f%% of raw) |%n",
                        withBacklog, 100 * withBacklog / raw));
                report.append("\nCommand: `./courier bench notifier [seconds-per-cell] [drain] [pending]`.\n");
                BenchResults.publish("notifier.md", report);
            } finally {
                notifier.destroy();
                if (!notifier.waitFor(30, TimeUnit.SECONDS)) {
                    JavaProcess.kill(notifier);
                }
            }
        }
    }

    private static String row(String cell, double perSecond, double raw) {
        return String.format("| %s | %,.0f | %.0f%% |%n", cell, perSecond, 100 * perSecond / raw);
    }

    /** The same client library and body as the notifier, posting as fast as 64 threads can, with no database. */
    private static double rawLimit(BenchReceiver receiver, Duration cell) throws Exception {
        try (CloseableHttpClient client = HttpClients.custom()
                        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(256)
                                .setMaxConnPerRoute(256)
                                .build())
                        .build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicLong sent = new AtomicLong();
            long end = System.nanoTime() + cell.toNanos();
            long start = System.nanoTime();
            for (int t = 0; t < 64; t++) {
                threads.execute(() -> {
                    while (System.nanoTime() < end) {
                        HttpPost post = new HttpPost(receiver.url("/raw"));
                        post.setHeader("webhook-id", UUID.randomUUID().toString());
                        post.setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON));
                        try {
                            client.execute(post, response -> {
                                EntityUtils.consume(response.getEntity());
                                return response.getCode();
                            });
                            sent.incrementAndGet();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            threads.shutdown();
            threads.awaitTermination(cell.toSeconds() + 30, TimeUnit.SECONDS);
            return sent.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Inserts {@code count} notifications due now in one transaction and times until all are delivered. */
    private static double drain(TestDatabase db, BenchReceiver receiver, List<UUID> endpoints, int count)
            throws Exception {
        vacuum(db);
        long before = receiver.received();
        fillDue(db, endpoints, count);
        long start = System.nanoTime();
        Waits.awaitTrue(Duration.ofMinutes(10), () -> receiver.received() - before >= count, "drain of " + count);
        double perSecond = count / ((System.nanoTime() - start) / 1e9);
        System.err.printf(
                "drain to %d endpoint(s): %.0f deliveries/s; attempts so far: %s%n",
                endpoints.size(), perSecond, attempts(db));
        return perSecond;
    }

    /** Attempts by outcome and error, with their mean duration: failures during a drain would show here. */
    private static String attempts(TestDatabase db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery("SELECT outcome, left(coalesce(error, ''), 80), count(*),"
                        + " round(avg(duration_ms)) FROM notifier_attempt GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5")) {
            while (rs.next()) {
                out.append(String.format(
                        "%s %s x%d (%d ms); ", rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return out.toString();
    }

    private static void fillDue(TestDatabase db, List<UUID> endpoints, int count) throws Exception {
        insert(db, endpoints, count, "now()");
    }

    private static void fillScheduled(TestDatabase db, List<UUID> endpoints, int count) throws Exception {
        insert(db, endpoints, count, "now() + interval '1 day'");
    }

    private static void insert(TestDatabase db, List<UUID> endpoints, int count, String dueAt) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO notifier_notification (id, endpoint_id,"
                        + " source, idempotency_key, event_type, body, status, next_attempt_at)"
                        + " SELECT gen_random_uuid(), (?::uuid[])[1 + i % ?], 'bench', gen_random_uuid()::text,"
                        + " 'bench.event', ?, 'PENDING', " + dueAt + " FROM generate_series(0, ? - 1) AS i")) {
            insert.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            insert.setInt(2, endpoints.size());
            insert.setString(3, BODY);
            insert.setInt(4, count);
            insert.executeUpdate();
        }
    }

    /** Cancels the endpoints' pending notifications and disables them: they take no part in later cells. */
    private static void retire(TestDatabase db, List<UUID> endpoints) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement cancel = c.prepareStatement("UPDATE notifier_notification SET status = 'CANCELLED'"
                        + " WHERE status = 'PENDING' AND endpoint_id = ANY (?::uuid[])");
                PreparedStatement disable =
                        c.prepareStatement("UPDATE notifier_endpoint SET enabled = false WHERE id = ANY (?::uuid[])")) {
            cancel.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            cancel.executeUpdate();
            disable.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            disable.executeUpdate();
        }
    }

    private static String setting(TestDatabase db, String name) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Cleans the notification table before a cell, as autovacuum would between bursts. This machine's PostgreSQL runs
     * with autovacuum off; without this, the dead row versions of every earlier cell would slow the later cells' claims
     * (each claim reads past them in the due index), and a cell would measure its place in the run.
     */
    private static void vacuum(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            statement.execute("VACUUM (ANALYZE) notifier_notification");
        }
    }

    private static String tableSize(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery(
                        "SELECT pg_size_pretty(pg_total_relation_size('notifier_notification'))")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Submits notifications through the REST API at {@code perSecond}, round robin over {@code endpoints}, and
     * records each one's latency from its acceptance to its arrival at the receiver.
     */
    private static void paced(
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
        org.HdrHistogram.Histogram round = latency.endRound(System.nanoTime() - start);
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
    private static long cpuWaitMicros() {
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
            return Long.parseLong(some.substring(some.indexOf("total=") + 6).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Where a round's time went inside the notifier, from its own records: accepted (the row's creation) to the first
     * attempt's start, and the attempt itself.
     */
    private static String insideTheNotifier(TestDatabase db, List<UUID> endpoints, Timestamp since) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement query = c.prepareStatement("SELECT"
                        + " percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP"
                        + " (ORDER BY extract(epoch FROM a.started_at - n.created_at) * 1000),"
                        + " percentile_cont(0.99) WITHIN GROUP (ORDER BY a.duration_ms)"
                        + " FROM notifier_notification n JOIN notifier_attempt a ON a.notification_id = n.id"
                        + " AND a.number = 1 WHERE n.endpoint_id = ANY (?::uuid[]) AND n.created_at >= ?")) {
            query.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            query.setTimestamp(2, since);
            try (var rs = query.executeQuery()) {
                rs.next();
                Double[] accepted = (Double[]) rs.getArray(1).getArray();
                return String.format(
                        "accepted to sent p50 %.1f p99 %.1f ms, attempt p99 %.0f ms",
                        accepted[0], accepted[1], rs.getDouble(2));
            }
        }
    }

    private static Timestamp databaseNow(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** The notifier's claim timer ({@code courier.notifier.claims}): how many claims, how long in all. */
    private record ClaimTimes(long count, double totalSeconds) {
        private static final java.util.regex.Pattern COUNT =
                java.util.regex.Pattern.compile("\"COUNT\",\"value\":([0-9.E]+)");
        private static final java.util.regex.Pattern TOTAL =
                java.util.regex.Pattern.compile("\"TOTAL_TIME\",\"value\":([0-9.E-]+)");

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

    private static void submit(int port, UUID endpoint) {
        String payload = "{\"sentAt\":" + System.nanoTime() + "," + BODY.substring(1);
        HttpResponse<String> response = call(
                port,
                "/api/notifications",
                "{\"endpointId\":\"" + endpoint + "\",\"eventType\":\"bench.event\",\"payload\":" + payload + "}",
                UUID.randomUUID().toString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("intake refused: " + response.statusCode() + " " + response.body());
        }
    }

    /** Registers {@code count} endpoints at {@code url}: fast ones, or black holes with a short timeout. */
    private static List<UUID> endpoints(
            int port, java.util.function.Function<String, String> url, int count, boolean holes) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = (holes ? "/hole-" : "/fast-") + UUID.randomUUID();
            String fields = holes
                    ? ",\"timeoutMs\":1000,\"maxConcurrency\":2,\"retryProfile\":\"custom:1s,1s,1s,1s,1s,1s,1s,1s\""
                    : ",\"maxConcurrency\":256,\"ratePerSecond\":100000";
            HttpResponse<String> response =
                    call(port, "/api/endpoints", "{\"url\":\"" + url.apply(path) + "\"" + fields + "}", null);
            if (response.statusCode() != 201) {
                throw new IllegalStateException("endpoint refused: " + response.body());
            }
            ids.add(UUID.fromString(response.body()
                    .substring(response.body().indexOf("\"id\":\"") + 6)
                    .substring(0, 36)));
        }
        return ids;
    }

    /** Waits until none of the endpoints has a request in flight (a black hole's last ones time out). */
    private static void awaitIdle(int port, List<UUID> endpoints) {
        Waits.awaitTrue(
                Duration.ofSeconds(30),
                () -> endpoints.stream()
                        .allMatch(id -> IDLE.matcher(get(port, "/api/endpoints/" + id + "/health"))
                                .find()),
                "the black holes' last requests to end");
    }

    private static String get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN)
                .GET()
                .build();
        return send(request).body();
    }

    private static HttpResponse<String> call(int port, String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long rssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static Process startNotifier(TestDatabase db, int port) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", Integer.toString(port));
        settings.put("spring.datasource.url", db.jdbcUrl());
        settings.put("spring.datasource.username", db.user());
        settings.put("spring.datasource.password", db.password());
        settings.put("courier.notifier.api-token", TOKEN);
        settings.put("courier.notifier.instance-id", "bench");
        settings.put("courier.notifier.ssrf.allow", "127.0.0.0/8");
        return ChildJvm.startService("best-effort-notifier", "notifier", "notifier", List.of("-Xmx512m"), settings);
    }

    /** A 1 KB JSON document. */
    private static String body() {
        StringBuilder json = new StringBuilder("{\"type\":\"payment.succeeded\",\"lines\":[");
        for (int i = 0; json.length() < 1000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"sku-")
                    .append(i)
                    .append("\",\"qty\":")
                    .append(i % 7)
                    .append('}');
        }
        return json.append("]}").toString();
    }

    /** Accepts connections and never reads nor answers: a hung receiver. */
    private static final class BlackHole implements AutoCloseable {
        private final java.net.ServerSocket server;
        private final List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            server = new java.net.ServerSocket(0, 4096, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getLocalPort() + path;
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Answers 200 at once on {@code /fast-*} and {@code /raw}. */
    private static final class BenchReceiver implements AutoCloseable {
        private final HttpServer server;
        private final AtomicLong received = new AtomicLong();
        private volatile LatencyRecorder latency;

        BenchReceiver() throws IOException {
            // The JDK's server keeps at most 200 idle connections and closes the others after their answer: with 256
            // in flight it would close connections the client is about to reuse. A fast receiver keeps them.
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    String path = exchange.getRequestURI().getPath();
                    if (path.startsWith("/fast-")) {
                        received.incrementAndGet();
                        LatencyRecorder recorder = latency;
                        if (recorder != null && body.startsWith("{\"sentAt\":")) {
                            long sentAt = Long.parseLong(body.substring(10, body.indexOf(',')));
                            recorder.record(System.nanoTime() - sentAt);
                        }
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        long received() {
            return received.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
