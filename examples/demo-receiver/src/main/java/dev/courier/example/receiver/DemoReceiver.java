package dev.courier.example.receiver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.courier.receiver.WebhookVerificationException;
import dev.courier.receiver.WebhookVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A merchant's webhook receiver, as the receiver kit's README tells merchants to write one: verify the signature
 * and timestamp, refuse what fails (401), de-duplicate by {@code webhook-id}, answer 2xx quickly. For the demo it
 * also answers 503 to the first attempt of every {@code failEvery}-th notification, so the notifier's retries show;
 * {@code GET /stats} counts what happened.
 *
 * <p>Settings, as environment variables or system properties: {@code RECEIVER_HOST} / {@code receiver.host} (the
 * address to listen on, 127.0.0.1), {@code RECEIVER_PORT} / {@code receiver.port} (8091),
 * {@code RECEIVER_SECRET} / {@code receiver.secret} (the endpoint's {@code whsec_} secret, required),
 * {@code RECEIVER_FAIL_EVERY} / {@code receiver.fail-every} (4; 0 never fails).
 */
public final class DemoReceiver implements AutoCloseable {

    private final HttpServer server;
    private final WebhookVerifier verifier;
    private final int failEvery;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> arrived = ConcurrentHashMap.newKeySet();
    private final AtomicLong distinct = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failedOnPurpose = new AtomicLong();
    /** The {@code traceparent} of each accepted notification's request (the first 1,000). */
    private final List<String> traceparents = new CopyOnWriteArrayList<>();

    private final AtomicLong duplicates = new AtomicLong();

    public DemoReceiver(String host, int port, String secret, int failEvery) throws IOException {
        this.verifier = WebhookVerifier.of(secret);
        this.failEvery = failEvery;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/webhooks/", this::webhook);
        server.createContext("/stats", this::stats);
        server.createContext("/health", exchange -> {
            try (exchange) {
                answer(exchange, 200, "{\"status\":\"UP\"}");
            }
        });
        server.start();
    }

    public static void main(String[] args) throws IOException {
        String secret = setting("receiver.secret", "RECEIVER_SECRET", "");
        if (secret.isBlank()) {
            System.err.println("RECEIVER_SECRET (or -Dreceiver.secret) must hold the endpoint's whsec_ signing secret");
            System.exit(2);
        }
        DemoReceiver receiver = new DemoReceiver(
                setting("receiver.host", "RECEIVER_HOST", "127.0.0.1"),
                Integer.parseInt(setting("receiver.port", "RECEIVER_PORT", "8091")),
                secret,
                Integer.parseInt(setting("receiver.fail-every", "RECEIVER_FAIL_EVERY", "4")));
        Runtime.getRuntime().addShutdownHook(new Thread(receiver::close));
        System.out.println("Demo receiver on port " + receiver.port() + ": POST /webhooks/..., GET /stats");
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv().getOrDefault(variable, fallback);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void webhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id;
            try {
                id = verifier.verify(exchange.getRequestHeaders()::getFirst, body);
            } catch (WebhookVerificationException e) {
                rejected.incrementAndGet();
                answer(exchange, 401, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
                return;
            }
            if (seen.contains(id)) {
                duplicates.incrementAndGet();
                answer(exchange, 200, "{\"received\":true,\"duplicate\":true}");
                return;
            }
            if (arrived.add(id) && failEvery > 0 && distinct.incrementAndGet() % failEvery == 0) {
                // The first attempt of every failEvery-th notification; its retry is accepted.
                failedOnPurpose.incrementAndGet();
                answer(exchange, 503, "{\"error\":\"failing on purpose, try again\"}");
                return;
            }
            seen.add(id);
            String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
            if (traceparent != null && traceparents.size() < 1000 && traceparent.matches("[0-9a-f-]{55}")) {
                traceparents.add(traceparent);
            }
            answer(exchange, 200, "{\"received\":true}");
        }
    }

    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            answer(
                    exchange,
                    200,
                    ("{\"requests\":%d,\"verifiedNotifications\":%d,\"rejectedSignatures\":%d,"
                                    + "\"failedOnPurpose\":%d,\"duplicates\":%d,\"traceparents\":[%s]}")
                            .formatted(
                                    requests.get(),
                                    seen.size(),
                                    rejected.get(),
                                    failedOnPurpose.get(),
                                    duplicates.get(),
                                    String.join(
                                            ",",
                                            traceparents.stream()
                                                    .map(value -> "\"" + value + "\"")
                                                    .toList())));
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
