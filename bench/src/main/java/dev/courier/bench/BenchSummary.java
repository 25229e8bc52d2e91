package dev.courier.bench;

import java.nio.file.Files;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints every goal of {@code bench-results/summary.json} as one Markdown table, and writes it to
 * {@code summary.md}: what {@code ./courier bench all} ends with.
 */
public final class BenchSummary {

    private BenchSummary() {}

    public static void main(String[] args) throws Exception {
        JsonNode root = JsonMapper.builder().build().readTree(Summary.FILE.toFile());
        StringBuilder table = new StringBuilder("### Goals of issue #26, one run of `./courier bench all`\n\n")
                .append("| benchmark | goal | median (lowest–highest) | target | verdict |\n")
                .append("|---|---|---:|---:|---|\n");
        root.properties().forEach(benchmark -> {
            for (JsonNode goal : benchmark.getValue().path("goals")) {
                Spread measure = new Spread(
                        goal.path("min").asDouble(),
                        goal.path("median").asDouble(),
                        goal.path("max").asDouble(),
                        goal.path("rounds").asInt());
                table.append("| ")
                        .append(benchmark.getKey())
                        .append(" | ")
                        .append(goal.path("name").asString())
                        .append(" | ")
                        .append(measure.format("%.2f"))
                        .append(" ")
                        .append(goal.path("unit").asString())
                        .append(" | ")
                        .append(goal.path("comparison")
                                .asString()
                                .replace(">=", "≥ ")
                                .replace("<=", "≤ "))
                        .append(goal.path("target").asDouble())
                        .append(" (")
                        .append(goal.path("judgedOn").asString())
                        .append(") | ")
                        .append(goal.path("met").asBoolean() ? "**met**" : "missed")
                        .append(goal.has("note") ? "; " + goal.path("note").asString() : "")
                        .append(" |\n");
            }
        });
        table.append("\nAll goals met: ")
                .append(root.path("allMet").asBoolean())
                .append("\n");
        BenchResults.publish("summary.md", table);
        if (!Files.exists(Summary.FILE)) {
            throw new IllegalStateException("no " + Summary.FILE);
        }
    }
}
