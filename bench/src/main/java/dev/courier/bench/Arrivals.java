package dev.courier.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the sustained load's messages arrive (a topic's consumer, Debezium's engine alone): a writer stamps each
 * message's id when it is committed or sent; each arrival is counted and, if stamped while a recorder is set, timed.
 */
abstract class Arrivals {

    private final Map<String, Long> stamps = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private volatile LatencyRecorder latencies;

    /** Stamps {@code id} now: its latency is measured when it arrives, into the recorder set by {@link #measure}. */
    final void stamp(String id) {
        stamps.put(id, System.nanoTime());
    }

    /** Records latencies into {@code recorder} from now on (null: stop recording). */
    final void measure(LatencyRecorder recorder) {
        latencies = recorder;
    }

    /** Whether latencies are being recorded (the warm-up is over). */
    final boolean measuring() {
        return latencies != null;
    }

    final long received() {
        return received.get();
    }

    /**
     * One message arrived at {@code now} ({@link System#nanoTime()}), with its id if it has one.
     *
     * @return its recorded latency in nanoseconds, or -1 if none was recorded (not stamped, or not measuring)
     */
    final long arrived(String id, long now) {
        received.incrementAndGet();
        Long stamped = id == null ? null : stamps.remove(id);
        LatencyRecorder recorder = latencies;
        if (stamped == null || recorder == null) {
            return -1;
        }
        recorder.record(now - stamped);
        return now - stamped;
    }
}
