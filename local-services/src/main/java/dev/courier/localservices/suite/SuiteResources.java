package dev.courier.localservices.suite;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brokers and servers started once per test JVM, stopped in reverse order when the JUnit launcher session ends
 * ({@link StopSuiteResources}), i.e. before the test runner exits the JVM: a broker stopped inside a JVM shutdown
 * hook races the other hooks (logging, the runner's own exit), and the runner saw the fork end abnormally (exit 254)
 * after every test had passed. A shutdown hook remains as the fallback outside JUnit.
 */
public final class SuiteResources {

    private static final Logger log = LoggerFactory.getLogger(SuiteResources.class);
    private static final Deque<Resource> started = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SuiteResources::stopAll, "courier-test-resources-stop"));
    }

    private record Resource(String name, Runnable stop) {}

    private SuiteResources() {}

    /** Registers a started resource; {@code stop} runs once, at the end of the test session. */
    public static synchronized void register(String name, Runnable stop) {
        started.push(new Resource(name, stop));
    }

    /** Stops every registered resource, the last started first; later calls find nothing to stop. */
    public static synchronized void stopAll() {
        for (Resource resource; (resource = started.poll()) != null; ) {
            try {
                resource.stop().run();
                log.info("Stopped {}", resource.name());
            } catch (RuntimeException e) {
                log.warn("{} did not stop cleanly: {}", resource.name(), e.toString());
            }
        }
    }
}
