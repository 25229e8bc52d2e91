package dev.courier.bench;

import java.util.List;

/** One measure over the rounds of a run: the lowest, the median and the highest of its per-round values. */
record Spread(double min, double median, double max, int rounds) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no rounds measured");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(sorted.getFirst(), median, sorted.getLast(), n);
    }

    /** {@code numerators[i] / denominators[i]} of each round. */
    static Spread ratios(List<Double> numerators, List<Double> denominators) {
        List<Double> ratios = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(numerators.size(), denominators.size()); i++) {
            ratios.add(numerators.get(i) / denominators.get(i));
        }
        return of(ratios);
    }

    /** "12.1 (10.3–15.0)" with {@code format} for each number; just the value when there was one round. */
    String format(String format) {
        String median = String.format(format, this.median);
        return rounds == 1
                ? median
                : median + " (" + String.format(format, min) + "–" + String.format(format, max) + ")";
    }
}
