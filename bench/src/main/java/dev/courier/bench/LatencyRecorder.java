package dev.courier.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies of one benchmark cell, recorded concurrently, in microseconds. */
final class LatencyRecorder {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private long elapsedNanos;

    void record(long nanos) {
        recorder.recordValue(Math.max(1, nanos / 1_000));
    }

    /**
     * Folds what was recorded during a round of {@code nanos} into the totals.
     *
     * @return the round's own latencies, in microseconds
     */
    Histogram endRound(long nanos) {
        Histogram round = recorder.getIntervalHistogram();
        total.add(round);
        elapsedNanos += nanos;
        return round;
    }

    double perSecond() {
        return total.getTotalCount() / (elapsedNanos / 1e9);
    }

    double percentileMillis(double percentile) {
        return total.getValueAtPercentile(percentile) / 1_000.0;
    }

    long count() {
        return total.getTotalCount();
    }
}
