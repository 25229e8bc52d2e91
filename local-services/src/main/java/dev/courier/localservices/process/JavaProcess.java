package dev.courier.localservices.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Starts a JVM of the same Java as the caller, with its output appended to a log file: used for brokers and relays
 * that tests must be able to kill like a crashed machine.
 */
public final class JavaProcess {

    private JavaProcess() {}

    /** Runs {@code java <arguments>}, appending stdout and stderr to {@code log}. */
    public static Process start(List<String> arguments, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /**
     * Runs a Spring Boot executable jar: {@code java <jvmOptions> -jar <jar> --name=value ...}, output appended to
     * {@code log}.
     */
    public static Process startJar(Path jar, List<String> jvmOptions, Map<String, String> settings, Path log) {
        List<String> arguments = new ArrayList<>(jvmOptions);
        arguments.add("-jar");
        arguments.add(jar.toString());
        settings.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return start(arguments, log);
    }

    /**
     * Runs this module's Spring Boot jar ({@code target/<artifact>-*.jar}) as a production-like service on
     * {@code port}, with a small heap, its output in {@code target/<logDirectory>/<name>.log}: for tests that must be
     * able to SIGKILL it.
     */
    public static Process startService(
            String artifact, String logDirectory, String name, int port, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("server.port", Integer.toString(port));
        try {
            Path log = Files.createDirectories(Path.of("target", logDirectory)).resolve(name + ".log");
            return startJar(
                    jarIn(Path.of("target"), artifact),
                    List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    all,
                    log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The executable jar in {@code directory} whose name starts with {@code artifact} (not the .original). */
    public static Path jarIn(Path directory, String artifact) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().matches(Pattern.quote(artifact) + "-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No " + artifact + " jar in "
                            + directory.toAbsolutePath() + ": build it first (mvn package)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills {@code process} with SIGKILL, as a power cut would, and waits until it is gone. */
    public static void kill(Process process) {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Process " + process.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the Spring Boot service on {@code port} answers 200 on {@code /actuator/health}; fails at once when
     * {@code process} ends (its log tells why).
     */
    public static void awaitHealthy(Process process, int port, Duration timeout, String service) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        Awaitility.await(service + " healthy on port " + port)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .failFast(service + " exited before it was healthy", () -> !process.isAlive())
                .until(() ->
                        http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** A TCP port that is free and stays so until bound (see {@link FreePorts}). */
    public static int freePort() {
        return FreePorts.pick(0, 0);
    }
}
