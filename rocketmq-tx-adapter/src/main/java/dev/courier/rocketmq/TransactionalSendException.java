package dev.courier.rocketmq;

/** The half message could not be stored: nothing was sent and the local transaction did not run. */
public final class TransactionalSendException extends RuntimeException {

    public TransactionalSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
