package dev.courier.testsupport.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics the repository's operations files use (the Prometheus alert rules in {@code ops/prometheus} and the
 * Grafana dashboard in {@code ops/grafana}), for tests that check each of them against a real scrape: an alert on a
 * metric that no service exposes never fires.
 */
public final class OpsMetrics {

    /** A metric name in PromQL: a name followed by a selector, a range, a closing parenthesis or a comparison. */
    private static final Pattern NAME = Pattern.compile("\\b([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?=[{\\[)]|\\s*[<>=!]|\\s*$)");

    private static final Pattern EXPRESSION =
            Pattern.compile("\"?expr\"?\\s*:\\s*\"?(.+?)\"?,?\\s*$", Pattern.MULTILINE);

    private OpsMetrics() {}

    /** The repository's root, from a module's directory (where Maven runs tests) or the root itself. */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("ops"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no ops/ directory above " + here);
    }

    /** The metric names the alert rules and the dashboard use that start with one of {@code prefixes}. */
    public static Set<String> referenced(String... prefixes) {
        Path ops = repositoryRoot().resolve("ops");
        Set<String> names = new TreeSet<>();
        for (Path file :
                new Path[] {ops.resolve("prometheus/courier-alerts.yml"), ops.resolve("grafana/courier-dashboard.json")
                }) {
            Matcher expressions = EXPRESSION.matcher(read(file));
            while (expressions.find()) {
                Matcher metric = NAME.matcher(expressions.group(1));
                while (metric.find()) {
                    String name = metric.group(1);
                    if (Arrays.stream(prefixes).anyMatch(name::startsWith)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    /** The metric names of a scrape in Prometheus' text format. */
    public static Set<String> scraped(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
