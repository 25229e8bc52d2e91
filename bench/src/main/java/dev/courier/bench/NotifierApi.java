package dev.courier.bench;

import static dev.courier.bench.NotificationRows.BODY;

import dev.courier.localservices.database.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The notifier under benchmark: its process, and the REST calls the benchmark makes. */
final class NotifierApi {

    private NotifierApi() {}

    static final String TOKEN = "bench-token-0123456789";

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final Pattern IDLE = Pattern.compile("\"inFlight\":0[,}]");

    static void submit(int port, UUID endpoint) {
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
    static List<UUID> endpoints(int port, Function<String, String> url, int count, boolean holes) {
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
    static void awaitIdle(int port, List<UUID> endpoints) {
        Waits.awaitTrue(
                Duration.ofSeconds(30),
                () -> endpoints.stream()
                        .allMatch(id -> IDLE.matcher(get(port, "/api/endpoints/" + id + "/health"))
                                .find()),
                "the black holes' last requests to end");
    }

    static String get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN)
                .GET()
                .build();
        return send(request).body();
    }

    static HttpResponse<String> call(int port, String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long rssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /**
     * @param extra further settings, name and value in turn; a {@code courier.notifier.instance-id} other than
     *     {@code bench} also names the log file
     */
    static Process startNotifier(TestDatabase db, int port, String... extra) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", Integer.toString(port));
        settings.put("spring.datasource.url", db.jdbcUrl());
        settings.put("spring.datasource.username", db.user());
        settings.put("spring.datasource.password", db.password());
        settings.put("courier.notifier.api-token", TOKEN);
        settings.put("courier.notifier.instance-id", "bench");
        settings.put("courier.notifier.ssrf.allow", "127.0.0.0/8");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        String instance = settings.get("courier.notifier.instance-id");
        String log = instance.equals("bench") ? "notifier" : "notifier-" + instance;
        return ChildJvm.startService("best-effort-notifier", "notifier", log, ChildJvm.fixedHeap("512m"), settings);
    }
}
