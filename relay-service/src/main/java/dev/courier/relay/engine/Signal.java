package dev.courier.relay.engine;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A wake-up flag for the engine thread: raised by anyone, consumed by the one waiter. Raises while busy are kept. */
final class Signal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition raised = lock.newCondition();
    private boolean up;

    void raise() {
        lock.lock();
        try {
            up = true;
            raised.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until raised or {@code nanos} passed; clears the flag. */
    void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (!up && left > 0) {
                left = raised.awaitNanos(left);
            }
            up = false;
        } finally {
            lock.unlock();
        }
    }
}
