package dev.courier.notifier;

/**
 * No endpoint or notification has the given id. The REST API answers it with 404, the Kafka intake rejects the
 * record as {@code unknown-endpoint}.
 */
public final class NoSuchResourceException extends NotifierException {

    public NoSuchResourceException(String message) {
        super(message);
    }
}
