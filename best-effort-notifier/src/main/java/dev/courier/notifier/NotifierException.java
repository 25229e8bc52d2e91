package dev.courier.notifier;

/** Root of the notifier's own exceptions. */
public class NotifierException extends RuntimeException {

    public NotifierException(String message) {
        super(message);
    }

    public NotifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
