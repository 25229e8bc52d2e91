package dev.courier.bench;

import dev.courier.localservices.process.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JVM options of a process a benchmark starts: its defaults plus what the operator adds for a run. */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * Starts {@code ../<module>/target/<module>-*.jar} with {@code settings} ({@code --name=value}) and the JVM options
     * of {@link #options}, its output in a fresh {@code bench-results/<logName>.log}.
     */
    static Process startService(
            String module, String name, String logName, List<String> defaults, Map<String, String> settings)
            throws IOException {
        Path log = Files.createDirectories(BenchResults.DIRECTORY).resolve(logName + ".log");
        Files.deleteIfExists(log);
        return JavaProcess.startJar(
                JavaProcess.jarIn(Path.of("..", module, "target"), module), options(name, defaults), settings, log);
    }

    /**
     * {@code defaults}, then the options in system property {@code courier.bench.<name>-jvm} (space-separated), e.g.
     * {@code -Dcourier.bench.relay-jvm=-XX:StartFlightRecording=filename=/tmp/relay.jfr}.
     */
    static List<String> options(String name, List<String> defaults) {
        List<String> options = new ArrayList<>(defaults);
        String extra = System.getProperty("courier.bench." + name + "-jvm", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }
}
