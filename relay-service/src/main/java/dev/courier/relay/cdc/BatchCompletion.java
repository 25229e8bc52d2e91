package dev.courier.relay.cdc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Completes published batches (removing their rows, committing their offsets) on a thread of its own, one batch at a
 * time and in stream order, so that the change handler can send the next batch meanwhile. A failed completion is
 * reported to the handler when it hands in the next batch, which ends the engine; the batch is then delivered again.
 */
final class BatchCompletion implements AutoCloseable {

    /** The work of completing one batch; may wait, and is interrupted when the handler closes. */
    @FunctionalInterface
    interface Step {
        void run() throws InterruptedException;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("courier-relay-cdc-completion").factory());
    private Future<?> last = CompletableFuture.completedFuture(null);

    /** Waits until the previous batch is completed (rethrowing its failure), then starts completing this one. */
    synchronized void next(Step step) throws InterruptedException {
        awaitLast();
        last = thread.submit(() -> {
            step.run();
            return null;
        });
    }

    /** Waits for the batch being completed, if any; its failure is dropped: the batch is delivered again. */
    synchronized void settle() throws InterruptedException {
        try {
            last.get();
        } catch (ExecutionException e) {
            last = CompletableFuture.completedFuture(null);
        }
    }

    private void awaitLast() throws InterruptedException {
        try {
            last.get();
        } catch (ExecutionException e) {
            throw new ConnectException("Completing the previous batch of change events failed", e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
