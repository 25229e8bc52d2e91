package dev.courier.rocketmq.fence;

import dev.courier.outbox.retention.ScheduledDeletion;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes fence rows older than the retention, periodically, on one daemon thread. The retention must outlast the
 * broker's half messages: a check-back that finds no row answers ROLLBACK, which would drop a committed message.
 */
public final class FenceRetention implements AutoCloseable {

    private final ScheduledDeletion deletion;

    public FenceRetention(FenceStore fence, Duration retention, Duration interval, Clock clock) {
        this.deletion =
                new ScheduledDeletion("transaction fence rows", fence::deleteCreatedBefore, retention, interval, clock);
    }

    /** Deletes the expired rows now. */
    public long runOnce() throws Exception {
        return deletion.runOnce();
    }

    /** Runs at once, then every interval. */
    public void start() {
        deletion.start(Duration.ZERO);
    }

    @Override
    public void close() {
        deletion.close();
    }
}
