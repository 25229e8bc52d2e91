package dev.courier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition in a benchmark, failing loudly when it does not come. */
final class Waits {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Waits() {}

    /** Waits until the service on {@code port} answers 200 on {@code /actuator/health}. */
    static void awaitHealthy(int port, Duration timeout, String service) {
        awaitTrue(timeout, () -> status(port, "/actuator/health") == 200, service + " healthy");
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition, String what) {
        awaitTrue(timeout, condition, () -> what);
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what.get() + " did not happen within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
