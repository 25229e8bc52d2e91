package dev.courier.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** Answers 200 at once on {@code /fast-*} and {@code /raw}. */
final class BenchReceiver implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    /** Where the latency of each fast delivery goes (sent at, from the body, to received); null while not measuring. */
    volatile LatencyRecorder latency;

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
