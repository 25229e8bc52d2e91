package dev.courier.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A closed-loop load: each of N threads calls an action back to back for a while, recording each call's latency. */
final class ClosedLoop {

    private ClosedLoop() {}

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} on {@code threads} threads for {@code duration}, into one round of {@code into}. */
    static void run(Action action, int threads, Duration duration, LatencyRecorder into) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long began = System.nanoTime();
                        action.run();
                        into.record(System.nanoTime() - began);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        into.endRound(System.nanoTime() - start);
    }
}
