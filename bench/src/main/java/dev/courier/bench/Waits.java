package dev.courier.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition in a benchmark, failing loudly when it does not come. */
final class Waits {

    private Waits() {}

    static void awaitTrue(Duration timeout, BooleanSupplier condition, String what) {
        awaitTrue(timeout, condition, () -> what);
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what.get() + " did not happen within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
