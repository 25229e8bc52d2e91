package dev.courier.bench;

import java.time.Duration;

/**
 * One line per step of a benchmark on the console: which step of how many, what it does, and about how long the
 * rest will take (from the planned duration of each step, corrected by how long the steps so far took).
 */
final class Progress {

    private final String benchmark;
    private final int steps;
    private final Duration planned;
    private final long started = System.nanoTime();
    private int done;
    private Duration plannedDone = Duration.ZERO;

    /** {@code steps} steps expected to take {@code planned} in all. */
    Progress(String benchmark, int steps, Duration planned) {
        this.benchmark = benchmark;
        this.steps = steps;
        this.planned = planned;
    }

    /** Announces the next step, planned to take {@code duration}. */
    void step(String what, Duration duration) {
        done++;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Duration left = planned.minus(plannedDone);
        if (!plannedDone.isZero()) {
            // Scale the plan by how the steps so far kept to it.
            left = Duration.ofMillis((long) (left.toMillis() * (elapsed.toMillis() / (double) plannedDone.toMillis())));
        }
        plannedDone = plannedDone.plus(duration);
        System.out.printf(
                "[%s %d/%d, %s elapsed, about %s left] %s%n",
                benchmark, Math.min(done, steps), steps, minutes(elapsed), minutes(left), what);
    }

    private static String minutes(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds < 60 ? seconds + " s" : String.format("%d min %02d s", seconds / 60, seconds % 60);
    }
}
