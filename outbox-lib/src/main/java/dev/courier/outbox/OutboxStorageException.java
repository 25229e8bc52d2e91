package dev.courier.outbox;

/** The database refused or failed an outbox or inbox statement; the cause is the driver's exception. */
public final class OutboxStorageException extends OutboxException {

    public OutboxStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
