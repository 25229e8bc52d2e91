package dev.courier.notifier.api;

import dev.courier.notifier.NotifierException;

/** A request body past {@code courier.notifier.max-body-size}: answered with 413. */
public final class RequestTooLargeException extends NotifierException {

    public RequestTooLargeException(long limit) {
        super("The request body exceeds " + limit + " bytes (courier.notifier.max-body-size)");
    }
}
