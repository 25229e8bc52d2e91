package dev.courier.notifier.delivery;

import dev.courier.supervision.LoopHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores finished attempts in group commits. Each delivery hands in its record and waits until it is committed; one
 * writer thread takes whatever has gathered meanwhile and stores it in one transaction. Alone, an attempt is written
 * at once; under load one commit carries many, so the database does one round of statements and one WAL flush per
 * batch instead of per delivery.
 *
 * <p>A batch that fails is written again one record at a time, so that one bad record cannot fail the others.
 */
final class AttemptWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AttemptWriter.class);

    private final ClaimStore claims;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;

    private record Pending(ClaimStore.Finish finish, CompletableFuture<Boolean> changed) {}

    private final LoopHealth health;

    AttemptWriter(ClaimStore claims, int maxBatch, LoopHealth health) {
        this.claims = claims;
        this.maxBatch = maxBatch;
        this.health = health;
        health.started();
        this.writer =
                Thread.ofPlatform().name("notifier-attempt-writer").daemon().start(this::run);
    }

    /**
     * Stores the attempt and the notification's new state, waiting for the commit.
     *
     * @return whether the state changed (false: cancelled or reclaimed meanwhile)
     */
    boolean write(ClaimStore.Finish finish) {
        if (!open) {
            return claims.finish(List.of(finish)).contains(finish.claim().notificationId());
        }
        Pending pending = new Pending(finish, new CompletableFuture<>());
        queue.add(pending);
        if (!open && queue.remove(pending)) {
            // Closed meanwhile, and nobody took it: store it here.
            return claims.finish(List.of(finish)).contains(finish.claim().notificationId());
        }
        CompletableFuture<Boolean> changed = pending.changed();
        try {
            return changed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the attempt was being stored", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Stores what was handed in before, then stops the writer; later records are written by their own thread. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Handed in while the writer was finishing: nothing must wait for an answer that never comes.
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> store(List.of(pending)));
    }

    /**
     * Supervised: whatever storing throws, the batch's deliveries get it as their answer (none waits forever for a
     * commit that never comes) and the writer goes on; health shows the failure until a batch is stored again.
     */
    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (open || !queue.isEmpty()) {
                try {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                    store(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    health.failed(e);
                    log.error("Storing attempts failed unexpectedly; the writer goes on", e);
                    batch.forEach(pending -> pending.changed().completeExceptionally(e));
                } finally {
                    batch.clear();
                }
            }
        } finally {
            health.stopped();
        }
    }

    private void store(List<Pending> batch) {
        try {
            complete(batch, claims.finish(batch.stream().map(Pending::finish).toList()));
            health.succeeded();
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                health.failed(e);
                batch.getFirst().changed().completeExceptionally(e);
                return;
            }
            log.warn("Storing {} attempts together failed, storing them one by one: {}", batch.size(), e.getMessage());
            for (Pending pending : batch) {
                store(List.of(pending));
            }
        }
    }

    private static void complete(List<Pending> batch, Set<UUID> changed) {
        for (Pending pending : batch) {
            pending.changed().complete(changed.contains(pending.finish().claim().notificationId()));
        }
    }
}
