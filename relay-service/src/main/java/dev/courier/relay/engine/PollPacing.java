package dev.courier.relay.engine;

/**
 * When the engine looks at all its partitions again, whether or not a wake-up came: soon after a fetch found rows
 * (the minimum interval), doubling up to the safety interval while fetches find none, and at the safety interval
 * alone while a NOTIFY listener wakes the engine (unless polling is adaptive anyway). Engine thread only.
 */
final class PollPacing {

    private final EngineSettings settings;
    private long intervalNanos;
    private long nextPollNanos;

    PollPacing(EngineSettings settings) {
        this.settings = settings;
        this.intervalNanos = settings.minInterval().toNanos();
        this.nextPollNanos = System.nanoTime();
    }

    /** True when a poll is due at {@code now}; the next one is then scheduled. */
    boolean due(long now) {
        if (now - nextPollNanos < 0) {
            return false;
        }
        nextPollNanos = now + intervalNanos;
        return true;
    }

    /** After a cycle: {@code found} whether its fetch found rows, {@code listening} whether NOTIFY wakes the engine. */
    void adapt(boolean found, boolean listening) {
        if (listening && !settings.adaptive()) {
            intervalNanos = settings.safetyInterval().toNanos();
        } else if (found) {
            intervalNanos = settings.minInterval().toNanos();
        } else {
            intervalNanos =
                    Math.min(intervalNanos * 2, settings.safetyInterval().toNanos());
        }
        long now = System.nanoTime();
        if (nextPollNanos - now > intervalNanos) {
            nextPollNanos = now + intervalNanos;
        }
    }

    /** Nanoseconds until the next poll; negative when it is overdue. */
    long untilNextPoll(long now) {
        return nextPollNanos - now;
    }
}
