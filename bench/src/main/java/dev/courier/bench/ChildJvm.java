package dev.courier.bench;

import dev.courier.localservices.kafka.KafkaProcess;
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
     * A heap of {@code size} from the start ({@code -Xms} = {@code -Xmx}), as the services' image runs them. A heap
     * that may shrink is cut by G1 at each concurrent cycle's remark to about three times the live data, and then
     * fills so fast that a cycle with an 8–20 ms remark pause follows every few seconds (the relay's GC log at 1,000
     * msg/s: one every 2.4 s; with a fixed heap, none after the start).
     */
    static List<String> fixedHeap(String size) {
        return List.of("-Xms" + size, "-Xmx" + size);
    }

    /**
     * The Kafka broker's options: those of Kafka's own start scripts, then {@code courier.bench.kafka-jvm}'s (see
     * {@link #options}).
     */
    static List<String> kafka() {
        return options("kafka", KafkaProcess.KAFKA_SCRIPTS_JVM);
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
