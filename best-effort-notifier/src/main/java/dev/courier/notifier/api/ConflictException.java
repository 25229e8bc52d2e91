package dev.courier.notifier.api;

import dev.courier.notifier.NotifierException;

/** The API's 409: the request contradicts the state, e.g. an idempotency key reused with another body. */
public final class ConflictException extends NotifierException {

    public ConflictException(String message) {
        super(message);
    }
}
