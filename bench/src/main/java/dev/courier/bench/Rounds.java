package dev.courier.bench;

import java.util.ArrayList;
import java.util.List;

/** The latencies of one cell, one recorder per round, for medians and spreads over the rounds. */
final class Rounds {

    private final List<LatencyRecorder> rounds = new ArrayList<>();

    /** A fresh recorder for the next round. */
    LatencyRecorder next() {
        LatencyRecorder round = new LatencyRecorder();
        rounds.add(round);
        return round;
    }

    /** A round recorded elsewhere. */
    void add(LatencyRecorder round) {
        rounds.add(round);
    }

    Spread perSecond() {
        return Spread.of(rounds.stream().map(LatencyRecorder::perSecond).toList());
    }

    Spread percentileMillis(double percentile) {
        return Spread.of(
                rounds.stream().map(round -> round.percentileMillis(percentile)).toList());
    }

    /** Each round's rate divided by the same round's rate of {@code other}. */
    Spread perSecondRatio(Rounds other) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(rounds.size(), other.rounds.size()); i++) {
            ratios.add(rounds.get(i).perSecond() / other.rounds.get(i).perSecond());
        }
        return Spread.of(ratios);
    }

    /** Each round's percentile divided by the same round's percentile of {@code other}. */
    Spread percentileRatio(Rounds other, double percentile) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(rounds.size(), other.rounds.size()); i++) {
            ratios.add(rounds.get(i).percentileMillis(percentile)
                    / other.rounds.get(i).percentileMillis(percentile));
        }
        return Spread.of(ratios);
    }
}
