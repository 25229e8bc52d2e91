package dev.courier.rocketmq.crash;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.localservices.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** A {@link CrashingProducer} JVM, its progress read back from its log, and its SIGKILL. */
public final class CrashingProducerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private CrashingProducerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static CrashingProducerProcess start(
            String nameServer,
            String group,
            String topic,
            TestDatabase database,
            CrashingProducer.Mode mode,
            String prefix,
            int threads,
            Path directory) {
        Path log = directory.resolve(prefix + ".log");
        Process process = JavaProcess.start(
                List.of(
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashingProducer.class.getName(),
                        nameServer,
                        group,
                        topic,
                        database.jdbcUrl(),
                        database.user(),
                        database.password(),
                        mode.name(),
                        prefix,
                        Integer.toString(threads)),
                log);
        return new CrashingProducerProcess(process, log);
    }

    /** Waits until the producer holds at its crash point, and returns the transaction it holds. */
    public String awaitHold(Duration timeout) {
        Awaitility.await("the producer to reach its crash point (log " + log + ")")
                .atMost(timeout)
                .until(() -> lastPhases().containsValue("HOLD") || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("the producer exited with " + process.exitValue() + "; see " + log);
        }
        return lastPhases().entrySet().stream()
                .filter(entry -> entry.getValue().equals("HOLD"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    /** Waits until the producer began at least {@code count} local transactions. */
    public void awaitStarted(int count, Duration timeout) {
        Awaitility.await("the producer to begin " + count + " transactions (log " + log + ")")
                .atMost(timeout)
                .until(() -> lastPhases().size() >= count || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("the producer exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** SIGKILL, as a power cut would. */
    public void kill() {
        JavaProcess.kill(process);
    }

    /** Each transaction the producer began, with the last phase it reported (STARTED, INSERTED, COMMITTED, SENT). */
    public Map<String, String> lastPhases() {
        Map<String, String> phases = new LinkedHashMap<>();
        try {
            if (!Files.exists(log)) {
                return phases;
            }
            for (String line : Files.readAllLines(log)) {
                String[] parts = line.split(" ");
                // A killed JVM may leave a half-written last line: only whole marker lines count.
                if (parts.length >= 3 && parts[0].equals(CrashingProducer.MARKER)) {
                    phases.put(parts[2], parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return phases;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
