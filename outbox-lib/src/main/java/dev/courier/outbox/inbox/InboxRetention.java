package dev.courier.outbox.inbox;

import dev.courier.outbox.retention.ScheduledDeletion;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Deletes inbox ids older than the retention, periodically, on one daemon thread. */
public final class InboxRetention implements AutoCloseable {

    private final ScheduledDeletion deletion;
    private final Duration interval;

    public InboxRetention(Inbox inbox, Duration retention, Duration interval, Clock clock) {
        Objects.requireNonNull(inbox, "inbox");
        this.deletion = new ScheduledDeletion("inbox ids", inbox::deleteReceivedBefore, retention, interval, clock);
        this.interval = interval;
    }

    /** Deletes the expired ids now. */
    public long runOnce() {
        try {
            return deletion.runOnce();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void start() {
        deletion.start(interval);
    }

    @Override
    public void close() {
        deletion.close();
    }
}
