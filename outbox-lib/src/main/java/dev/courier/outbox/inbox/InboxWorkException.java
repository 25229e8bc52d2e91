package dev.courier.outbox.inbox;

import dev.courier.outbox.OutboxException;

/** The consumer's work threw a checked exception; the transaction rolled back and the id was not recorded. */
public final class InboxWorkException extends OutboxException {

    public InboxWorkException(String message, Throwable cause) {
        super(message, cause);
    }
}
