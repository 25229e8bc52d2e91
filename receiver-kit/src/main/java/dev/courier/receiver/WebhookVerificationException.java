package dev.courier.receiver;

/** A webhook that must be refused (answer 400 or 401 and do not act on it); the message says why. */
public final class WebhookVerificationException extends RuntimeException {

    public WebhookVerificationException(String message) {
        super(message);
    }
}
