package dev.courier.outbox;

/**
 * Thrown when a message is published outside a transaction. Auto-committing the row on its own would break the
 * guarantee that a message exists if and only if its business transaction committed, so the outbox refuses.
 */
public final class NoActiveTransactionException extends OutboxException {

    public NoActiveTransactionException(String message) {
        super(message);
    }
}
