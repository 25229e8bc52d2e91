package dev.courier.notifier.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real HTTP receiver on a random port of 127.0.0.1 (the JDK's server, a virtual thread per request). Each path
 * answers as a test scripts it, and every request is recorded.
 */
public final class Receiver implements AutoCloseable {

    /** A request as received, header names in lower case. */
    public record Request(String path, Map<String, String> headers, String body, Instant receivedAt) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What a path answers; {@code delayMs} before the status line, {@code dripMs} between body bytes. */
    public record Answer(int status, String body, Map<String, String> headers, long delayMs, long dripMs) {
        public static Answer of(int status, String body) {
            return new Answer(status, body, Map.of(), 0, 0);
        }

        public static Answer ok() {
            return of(200, "");
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.put(name, value);
            return new Answer(status, body, all, delayMs, dripMs);
        }

        public Answer delayed(long millis) {
            return new Answer(status, body, headers, millis, dripMs);
        }

        public Answer dripping(long millisPerByte) {
            return new Answer(status, body, headers, delayMs, millisPerByte);
        }
    }

    /** Requests a test selects, counted while they are being answered: how many now, and the most at once. */
    public static final class InFlight {
        private final Predicate<Request> which;
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        private InFlight(Predicate<Request> which) {
            this.which = which;
        }

        public int now() {
            return now.get();
        }

        public int most() {
            return most.get();
        }
    }

    private final HttpServer server;
    private final List<InFlight> watches = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();

    private Receiver(HttpServer server) {
        this.server = server;
    }

    public static Receiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
            Receiver receiver = new Receiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers requests to {@code path} with {@code answer}, given the request. Unscripted paths answer 200. */
    public Receiver on(String path, Function<Request, Answer> answer) {
        routes.put(path, answer);
        return this;
    }

    /**
     * Counts the requests {@code which} selects from their arrival until their answer is sent (its delay included).
     * The selector sees each request once, when it arrives.
     */
    public InFlight watch(Predicate<Request> which) {
        InFlight watch = new InFlight(which);
        watches.add(watch);
        return watch;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        List<InFlight> watching = new ArrayList<>();
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().toLowerCase(Locale.ROOT),
                            e -> String.join(",", e.getValue()),
                            (a, b) -> a));
            Request request = new Request(exchange.getRequestURI().getPath(), headers, body, Instant.now());
            requests.add(request);
            for (InFlight watch : watches) {
                if (watch.which.test(request)) {
                    watching.add(watch);
                    watch.most.accumulateAndGet(watch.now.incrementAndGet(), Math::max);
                }
            }
            Answer answer =
                    routes.getOrDefault(request.path(), r -> Answer.ok()).apply(request);
            if (answer.delayMs() > 0) {
                Thread.sleep(answer.delayMs());
            }
            answer.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                OutputStream out = exchange.getResponseBody();
                if (answer.dripMs() > 0) {
                    for (byte b : bytes) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(answer.dripMs());
                    }
                } else {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The notifier gave up on this request (its timeout): nothing to answer.
        } finally {
            watching.forEach(watch -> watch.now.decrementAndGet());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
