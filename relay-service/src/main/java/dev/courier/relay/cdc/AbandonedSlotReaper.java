package dev.courier.relay.cdc;

import dev.courier.relay.db.Jdbc;
import dev.courier.supervision.LoopHealth;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling mode on PostgreSQL: drops the cdc replication slot when nobody reads it, and forgets its offsets. After a
 * switch from cdc back to polling the slot would otherwise keep WAL on the server's disk without bound; and a later
 * switch to cdc would replay, from the slot's old position, rows that polling published meanwhile. Without the slot, a
 * later cdc relay creates a new one and snapshots the rows still unpublished, so nothing is lost either way.
 *
 * <p>A slot that a cdc relay reads (active) is never dropped: during a rolling switch both modes may run for a while.
 * A failed check is reported in the {@code slot-reaper} loop's health until a check succeeds.
 */
public final class AbandonedSlotReaper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AbandonedSlotReaper.class);

    private final ReplicationSlot slot;
    private final ScheduledExecutorService scheduler;
    private final LoopHealth health;

    /** Checks at once and then every {@code interval}. */
    public AbandonedSlotReaper(
            DataSource dataSource, String slotName, String offsetTable, Duration interval, LoopHealth health) {
        this.slot = new ReplicationSlot(new Jdbc(dataSource), slotName, offsetTable);
        this.health = health;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("courier-relay-slot-reaper")
                .daemon(true)
                .factory());
        scheduler.scheduleWithFixedDelay(health.guard(this::reap), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops the slot if it is unread. */
    private void reap() {
        if (!slot.dropIfUnread()) {
            return;
        }
        slot.forgetOffsets();
        log.warn(
                "Dropped replication slot {}: polling mode runs and no cdc relay reads it, so it only held WAL."
                        + " Its offsets are forgotten; a cdc relay started later creates a new slot and"
                        + " snapshots the unpublished rows. Set courier.relay.poll.drop-abandoned-cdc-slot=false"
                        + " to keep it.",
                slot.name());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        health.stopped();
    }
}
