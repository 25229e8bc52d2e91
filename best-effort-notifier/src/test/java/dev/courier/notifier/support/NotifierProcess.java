package dev.courier.notifier.support;

import dev.courier.testsupport.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("server.port", Integer.toString(port));
        try {
            Path log = Files.createDirectories(Path.of("target", "notifier-processes"))
                    .resolve(name + ".log");
            Process process = JavaProcess.startJar(
                    JavaProcess.jarIn(Path.of("target"), "best-effort-notifier"),
                    List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    all,
                    log);
            return new NotifierProcess(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
