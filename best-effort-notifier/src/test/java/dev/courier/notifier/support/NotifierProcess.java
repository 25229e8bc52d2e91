package dev.courier.notifier.support;

import dev.courier.localservices.process.JavaProcess;
import java.util.Map;

/**
 * The notifier as a production-like separate JVM, started from the executable jar that {@code package} built, so that
 * a test can SIGKILL it. Its output goes to {@code target/notifier-processes/<name>.log}.
 */
public final class NotifierProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private NotifierProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static NotifierProcess start(String name, Map<String, String> settings) {
        int port = JavaProcess.freePort();
        return new NotifierProcess(
                JavaProcess.startService("best-effort-notifier", "notifier-processes", name, port, settings), port);
    }

    public NotifierApi api() {
        return new NotifierApi(port, NotifierInstance.TOKEN);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, claims stay leased, requests in flight are cut off. */
    public void kill() {
        JavaProcess.kill(process);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
