package dev.courier.example.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-command demo: starts the whole pipeline on this machine, places orders and pays most of them, waits until
 * every message reached its end and prints the summary and the URLs. Interactive runs then keep everything up until
 * Ctrl-C (or {@code ./courier demo stop}); {@code --headless} stops after the summary.
 *
 * <p>Arguments: {@code --orders=N} (40), {@code --headless}, {@code --database=NAME} (courier_demo; its pid file
 * {@code target/demo/NAME.pid} is what {@code ./courier demo stop NAME} signals), {@code --free-ports} (beside a
 * running demo).
 */
public final class CourierDemo {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    private CourierDemo() {}

    public static void main(String[] args) throws Exception {
        DemoSettings defaults = DemoSettings.defaults(DemoSettings.findRoot(Path.of("")));
        DemoSettings.Traffic traffic = defaults.traffic();
        int orders = traffic.orders();
        boolean headless = false;
        boolean freePorts = false;
        String database = defaults.database().name();
        for (String arg : args) {
            if (arg.startsWith("--orders=")) {
                orders = positive(arg);
            } else if (arg.equals("--headless")) {
                headless = true;
            } else if (arg.equals("--free-ports")) {
                freePorts = true;
            } else if (arg.matches("--database=[a-z_][a-z0-9_]{0,40}")) {
                database = arg.substring("--database=".length());
            } else {
                System.err.println("Unknown argument " + arg
                        + "; use --orders=N, --headless, --database=NAME (lower case, digits, _), --free-ports");
                System.exit(2);
            }
        }
        DemoSettings settings = freePorts ? defaults.onFreePorts(database) : defaults.named(database);
        settings = settings.with(new DemoSettings.Traffic(orders, traffic.payEvery(), traffic.failEvery(), headless));
        Summary summary = run(settings, System.out);
        System.exit(summary.settled() ? 0 : 1);
    }

    private static int positive(String arg) {
        try {
            int value = Integer.parseInt(arg.substring(arg.indexOf('=') + 1));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println(arg + ": a positive number is needed");
        System.exit(2);
        return 0;
    }

    /**
     * Runs the demo; headless, returns once the summary is printed and everything is stopped, otherwise only after
     * Ctrl-C.
     */
    public static Summary run(DemoSettings settings, PrintStream out) throws Exception {
        Progress progress = new Progress(out);
        Path pidFile =
                DemoStack.directory(settings).resolveSibling(settings.database().name() + ".pid");
        DemoStack stack = new DemoStack(settings, progress);
        CountDownLatch stopped = new CountDownLatch(1);
        // On Ctrl-C or SIGTERM the JVM ends once its shutdown hooks have: this one does all the stopping, the pid
        // file included, rather than leaving it to the main thread, which may never run again.
        Thread stopper = new Thread(() -> {
            progress.say("stopping ...");
            stack.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                progress.say("could not remove %s: %s", pidFile, e.getMessage());
            }
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(stopper);
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
        try {
            stack.start();
            sendTraffic(settings, stack, progress);
            Summary summary = settle(stack, progress);
            out.println(summary.render(settings, stack.portalLink()));
            if (!summary.settled()) {
                progress.say(
                        "not everything arrived within %s: see the logs in %s",
                        SETTLE_TIMEOUT, DemoStack.directory(settings));
            }
            if (!settings.traffic().headless()) {
                progress.say("all running; Ctrl-C (or ./courier demo stop) stops everything");
                stopped.await();
            }
            return summary;
        } finally {
            if (settings.traffic().headless() && Runtime.getRuntime().removeShutdownHook(stopper)) {
                stopper.run();
            }
        }
    }

    private static void sendTraffic(DemoSettings settings, DemoStack stack, Progress progress) throws Exception {
        progress.say(
                "placing %d orders and paying %d of them",
                settings.traffic().orders(), settings.traffic().payments());
        String orders = settings.url(settings.ports().orders()) + "/api/orders";
        for (int i = 0; i < settings.traffic().orders(); i++) {
            var placed = stack.post(
                    orders,
                    "{\"customer\":\"customer-%d\",\"sku\":\"sku-%d\",\"quantity\":%d,\"amountCents\":%d}"
                            .formatted(i % 7, i % 5, 1 + i % 3, 1000 + 25L * i));
            if (placed.statusCode() != 201) {
                throw new IllegalStateException(
                        "placing an order failed: " + placed.statusCode() + " " + placed.body());
            }
            if (settings.traffic().paid(i)) {
                String id = JSON.readTree(placed.body()).path("id").asString();
                var paid = stack.post(orders + "/" + id + "/payment", "");
                if (paid.statusCode() != 200) {
                    throw new IllegalStateException(
                            "paying order " + id + " failed: " + paid.statusCode() + " " + paid.body());
                }
            }
            if ((i + 1) % 10 == 0 || i + 1 == settings.traffic().orders()) {
                progress.say("  %d/%d orders placed", i + 1, settings.traffic().orders());
            }
        }
    }

    /** Waits until every message reached its end (or the timeout), reporting progress as the numbers change. */
    private static Summary settle(DemoStack stack, Progress progress) {
        AtomicReference<Summary> last = new AtomicReference<>();
        AtomicReference<String> shown = new AtomicReference<>("");
        try {
            Awaitility.await("every message at its end")
                    .atMost(SETTLE_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Summary summary = stack.summary();
                        last.set(summary);
                        String now = "published %d, consumed %d, reserved %d, webhooks delivered %d (retrying %d)"
                                .formatted(
                                        summary.published(),
                                        summary.consumed(),
                                        summary.stockReservations(),
                                        summary.delivered(),
                                        summary.retrying());
                        if (!now.equals(shown.getAndSet(now))) {
                            progress.say("  %s", now);
                        }
                        return summary.settled();
                    });
        } catch (ConditionTimeoutException e) {
            // reported with the summary
        }
        return last.get();
    }
}
