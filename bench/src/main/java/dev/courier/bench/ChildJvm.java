package dev.courier.bench;

import java.util.ArrayList;
import java.util.List;

/** JVM options of a process a benchmark starts: its defaults plus what the operator adds for a run. */
final class ChildJvm {

    private ChildJvm() {}

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
