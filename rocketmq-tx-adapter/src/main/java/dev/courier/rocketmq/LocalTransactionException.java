package dev.courier.rocketmq;

/** Carries a checked exception of a {@link LocalTransaction} to the caller, after the rollback. */
public final class LocalTransactionException extends RuntimeException {

    public LocalTransactionException(String transactionId, Throwable cause) {
        super("Local transaction " + transactionId + " failed and was rolled back: " + cause, cause);
    }
}
