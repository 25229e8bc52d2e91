package dev.courier.outbox;

/** Root of the exceptions thrown by outbox-lib. Unchecked: a failed write must roll the caller's transaction back. */
public class OutboxException extends RuntimeException {

    public OutboxException(String message) {
        super(message);
    }

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
