package dev.courier.relay.support;

import dev.courier.localservices.process.JavaProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * The relay as a production-like separate JVM, started from the executable jar that {@code package} built
 * ({@code java -jar relay-service-*.jar --courier.relay...}), so that a test can SIGKILL it. Its output goes to
 * {@code target/relay-processes/<name>.log}.
 */
public final class RelayProcess implements AutoCloseable {

    private final Process process;
    private final RelayHttp http;
    private final Path log;

    private RelayProcess(Process process, int port, Path log) {
        this.process = process;
        this.http = new RelayHttp(port);
        this.log = log;
    }

    /** Starts {@code java -jar} with {@code settings} as {@code --name=value} arguments and a fresh HTTP port. */
    public static RelayProcess start(String name, Map<String, String> settings) {
        int port = JavaProcess.freePort();
        Process process = JavaProcess.startService("relay-service", "relay-processes", name, port, settings);
        return new RelayProcess(process, port, Path.of("target", "relay-processes", name + ".log"));
    }

    public RelayHttp http() {
        return http;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook runs, no lease is released, in-flight batches are cut off. */
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
