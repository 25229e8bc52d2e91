package dev.courier.notifier.api;

import dev.courier.notifier.NotifierException;

/** The API's 404: no such endpoint or notification. */
public final class NotFoundException extends NotifierException {

    public NotFoundException(String message) {
        super(message);
    }
}
