package dev.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The goals of a run and whether they are met, in {@code bench-results/summary.json}: one entry per goal with its
 * measure over the rounds (min, median, max), its target and verdict. A benchmark replaces its own entries, so that
 * {@code ./courier bench all} leaves every benchmark's, and a single benchmark run updates its part.
 */
final class Summary {

    static final Path FILE = BenchResults.DIRECTORY.resolve("summary.json");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Whether a goal must hold for the median of its rounds or for every round. */
    enum Judged {
        MEDIAN,
        EVERY_ROUND
    }

    /** A goal: {@code measure} compared with {@code target} ({@code atLeast} or at most). */
    record Goal(String name, String unit, Spread measure, boolean atLeast, double target, Judged judged, String note) {

        boolean met() {
            double judgedValue = switch (judged) {
                case MEDIAN -> measure.median();
                case EVERY_ROUND -> atLeast ? measure.min() : measure.max();
            };
            return atLeast ? judgedValue >= target : judgedValue <= target;
        }

        String verdict() {
            return (met() ? "met" : "missed") + " (" + (atLeast ? "≥ " : "≤ ") + trim(target) + " " + unit
                    + (judged == Judged.EVERY_ROUND ? ", every round" : ", median") + ")";
        }
    }

    private final String benchmark;
    private final List<Goal> goals = new ArrayList<>();

    Summary(String benchmark) {
        this.benchmark = benchmark;
    }

    Summary goal(String name, String unit, Spread measure, boolean atLeast, double target, Judged judged, String note) {
        goals.add(new Goal(name, unit, measure, atLeast, target, judged, note));
        return this;
    }

    Summary goal(Goal goal) {
        goals.add(goal);
        return this;
    }

    List<Goal> goals() {
        return goals;
    }

    /** The goals as a Markdown table. */
    String table() {
        StringBuilder table =
                new StringBuilder("| goal | median (min–max) | target | verdict |\n|---|---:|---:|---|\n");
        for (Goal goal : goals) {
            table.append("| ")
                    .append(goal.name())
                    .append(" | ")
                    .append(goal.measure().format("%.2f"))
                    .append(" ")
                    .append(goal.unit())
                    .append(" | ")
                    .append(goal.atLeast() ? "≥ " : "≤ ")
                    .append(trim(goal.target()))
                    .append(" | ")
                    .append(goal.met() ? "**met**" : "missed")
                    .append(goal.note().isEmpty() ? "" : "; " + goal.note())
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Replaces this benchmark's entries in {@code summary.json} with this run's goals, and prints them. */
    void write() throws IOException {
        Map<String, JsonNode> benchmarks = new LinkedHashMap<>();
        if (Files.exists(FILE)) {
            JSON.readTree(FILE.toFile())
                    .properties()
                    .forEach(entry -> benchmarks.put(entry.getKey(), entry.getValue()));
        }
        benchmarks.remove("allMet");
        ObjectNode mine = JSON.createObjectNode();
        mine.put("measuredAt", Instant.now().toString());
        mine.put("cores", Runtime.getRuntime().availableProcessors());
        ArrayNode entries = mine.putArray("goals");
        for (Goal goal : goals) {
            ObjectNode entry = entries.addObject();
            entry.put("name", goal.name());
            entry.put("unit", goal.unit());
            entry.put("median", goal.measure().median());
            entry.put("min", goal.measure().min());
            entry.put("max", goal.measure().max());
            entry.put("rounds", goal.measure().rounds());
            entry.put("comparison", goal.atLeast() ? ">=" : "<=");
            entry.put("target", goal.target());
            entry.put("judgedOn", goal.judged() == Judged.MEDIAN ? "median" : "every round");
            entry.put("met", goal.met());
            if (!goal.note().isEmpty()) {
                entry.put("note", goal.note());
            }
        }
        mine.put("allMet", goals.stream().allMatch(Goal::met));
        benchmarks.put(benchmark, mine);
        ObjectNode root = JSON.createObjectNode();
        benchmarks.forEach(root::set);
        root.put(
                "allMet",
                benchmarks.values().stream()
                        .allMatch(node -> node.path("allMet").asBoolean(false)));
        Files.createDirectories(FILE.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(FILE.toFile(), root);
        System.out.println("Goals of " + benchmark + " written to " + FILE.toAbsolutePath());
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.format("%.0f", value) : String.format("%.2f", value);
    }
}
