package dev.courier.rocketmq.fence;

/**
 * The local transaction found its fence row already there: a check-back decided to roll the message back before the
 * local transaction could start (the half message's answer was late). The local transaction must roll back.
 */
public final class FenceConflictException extends RuntimeException {

    public FenceConflictException(String transactionId) {
        super("Transaction " + transactionId + " was already rolled back by a check-back; its local work did not run");
    }
}
