package dev.courier.relay.cdc;

import dev.courier.relay.Relay;
import dev.courier.relay.Release;
import dev.courier.relay.db.RelayStorageException;
import dev.courier.relay.park.ParkedMessages;
import dev.courier.supervision.LoopHealth;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.github.resilience4j.core.IntervalFunction;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDC mode: every instance competes for leadership of the slot ({@link LeaderLock}); the leader runs the embedded
 * Debezium engine, the others stand by and take over when the leader's session ends. Debezium's failures (database
 * or slot unavailable) end the engine; the leader restarts it with back-off.
 *
 * <p>The leadership loop survives whatever a step throws and reports it in the {@code cdc-leader} loop's health; the
 * slot's sampling, which runs on the same thread, in {@code slot-monitor}'s. Each is DOWN until its next success.
 */
public final class CdcRelay implements Relay, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcRelay.class);

    /** What this instance does. */
    public enum State {
        /** Another instance leads (or none could be asked yet). */
        STANDBY,
        /** Leader; Debezium runs (a snapshot first when the slot is new, then streaming). */
        LEADING,
        /** Leader; Debezium stopped with an error and restarts after a pause. */
        FAILED,
        STOPPED
    }

    private final String member;
    private final Properties engineProperties;
    private final OutboxChangeHandler handler;
    private final LeaderLock lock;
    private final ReplicationSlot slot;
    private final SlotMonitor slotMonitor;
    private final ParkedMessages parking;
    private final Duration checkInterval;
    private final IntervalFunction backoff;
    private final LoopHealth leaderHealth;
    private final LoopHealth monitorHealth;
    /** The leadership step and the slot's sampling as rounds that never throw; the loops count as started. */
    private final Runnable guardedStep;

    private final Runnable guardedSample;
    private final Thread thread;
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("courier-relay-cdc-engine").factory());

    private volatile State state = State.STANDBY;
    private volatile String lastError;
    private volatile boolean running = true;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile boolean engineDone;
    private int engineFailures;
    private long restartAtNanos;

    CdcRelay(
            String member,
            Properties engineProperties,
            OutboxChangeHandler handler,
            LeaderLock lock,
            ReplicationSlot slot,
            SlotMonitor slotMonitor,
            ParkedMessages parking,
            Duration checkInterval,
            IntervalFunction backoff,
            LoopHealth leaderHealth,
            LoopHealth monitorHealth) {
        this.member = member;
        this.engineProperties = engineProperties;
        this.handler = handler;
        this.lock = lock;
        this.slot = slot;
        this.slotMonitor = slotMonitor;
        this.parking = parking;
        this.checkInterval = checkInterval;
        this.backoff = backoff;
        this.leaderHealth = leaderHealth;
        this.monitorHealth = monitorHealth;
        // A failed sample leaves the last one in place; the leader session and the database circuit report outages.
        this.guardedStep = leaderHealth.guard(this::step);
        this.guardedSample = monitorHealth.guard(slotMonitor::sample);
        this.thread = Thread.ofPlatform().name("courier-relay-cdc-leader").unstarted(this::run);
    }

    public void start() {
        thread.start();
        log.info("Relay {} started in cdc mode (slot {}); standing by until it leads", member, slot.name());
    }

    private void run() {
        try {
            while (running) {
                guardedStep.run();
                guardedSample.run();
                try {
                    Thread.sleep(checkInterval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        } finally {
            leaderHealth.stopped();
            monitorHealth.stopped();
        }
    }

    private void step() {
        if (state == State.STANDBY) {
            boolean leads;
            try {
                leads = lock.tryAcquire();
            } catch (SQLException e) {
                lock.close();
                lastError = "leader election: " + e.getMessage();
                // Reported by the loop's guard: a relay that cannot even ask whether it may lead is not healthy.
                throw new RelayStorageException("leader election", e);
            }
            if (leads) {
                log.info("Relay {} leads slot {} now", member, slot.name());
                startEngine();
            }
            return;
        }
        if (!lock.stillHeld()) {
            log.warn("Relay {} lost its leader session for slot {}; stopping the engine", member, slot.name());
            stopEngine();
            lock.close();
            state = State.STANDBY;
            return;
        }
        if (engineDone && state == State.LEADING) {
            state = State.FAILED;
            restartAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.apply(++engineFailures));
        }
        if (state == State.FAILED && System.nanoTime() - restartAtNanos >= 0) {
            startEngine();
        }
    }

    private void startEngine() {
        state = State.LEADING;
        try {
            prepareSlot();
        } catch (RuntimeException e) {
            lastError = "slot check: " + e.getMessage();
            engineDone = true;
            return;
        }
        try {
            handler.engineStarting();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engineDone = true;
            return;
        }
        engineDone = false;
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties)
                .notifying(handler)
                .using((success, message, error) -> {
                    if (!success && running) {
                        lastError = message;
                        log.warn("Debezium engine stopped: {}", message, error);
                    }
                    engineDone = true;
                })
                .build();
        engineThread.submit(engine);
    }

    /** Logs what the engine will find, and forgets offsets that belong to a slot that is gone. */
    private void prepareSlot() {
        Optional<ReplicationSlot.State> existing = slot.state();
        if (existing.isPresent() && slot.offsetsPredateSlot()) {
            log.warn(
                    "Replication slot {} is newer than the stored offsets (it was dropped and created again); they"
                            + " are dropped and the outbox table is snapshotted first, so that no row is missed",
                    slot.name());
            slot.forgetOffsets();
        }
        if (existing.isPresent()) {
            log.info(
                    "Using replication slot {} (lag {} bytes, {} bytes of WAL retained)",
                    slot.name(),
                    existing.get().lagBytes(),
                    existing.get().retainedBytes());
            return;
        }
        if (slot.hasOffsets()) {
            log.warn(
                    "Replication slot {} is missing but offsets of an earlier stream are stored; they are dropped and"
                            + " the outbox table is snapshotted first, so that no row is missed",
                    slot.name());
            slot.forgetOffsets();
        }
        log.info(
                "Replication slot {} does not exist; creating it now (pgoutput) and snapshotting the outbox table's"
                        + " unpublished rows before streaming",
                slot.name());
    }

    private void stopEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        engine = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                log.warn("Debezium engine did not close cleanly: {}", e.getMessage());
            }
        }
    }

    public State state() {
        return state;
    }

    @Override
    public String mode() {
        return "cdc";
    }

    @Override
    public String member() {
        return member;
    }

    @Override
    public void pause() {
        handler.pausePublishing();
    }

    @Override
    public void resume() {
        handler.resumePublishing();
    }

    @Override
    public boolean paused() {
        return handler.paused();
    }

    @Override
    public boolean release(String parkedId, Release release) {
        if (!parking.requestRelease(parkedId, release)) {
            return false;
        }
        // Wakes the leader's change handler, wherever it runs, instead of waiting for the next heartbeat.
        slot.nudge();
        return true;
    }

    @Override
    public boolean healthy() {
        return state != State.FAILED && !slotMonitor.unreadTooLong();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("slot", slot.name());
        details.putAll(slotMonitor.details());
        handler.lastEventAt().ifPresent(at -> details.put("lastEventAt", at.toString()));
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        return details;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handler.resumePublishing();
        stopEngine();
        handler.close();
        engineThread.shutdown();
        try {
            engineThread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.close();
        state = State.STOPPED;
        log.info("Relay {} stopped; slot {} is free for another instance", member, slot.name());
    }
}
