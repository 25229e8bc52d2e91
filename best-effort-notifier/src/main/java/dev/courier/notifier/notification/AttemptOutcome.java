package dev.courier.notifier.notification;

/** How one attempt ended. */
public enum AttemptOutcome {
    /** The receiver acknowledged: the notification is delivered. */
    ACKNOWLEDGED,
    /** The receiver answered, but not with an acknowledgement (5xx, 4xx, 3xx, or a 2xx the matcher refused). */
    REJECTED,
    /** No usable answer: connection refused, timeout, reset, TLS failure, blocked address. */
    FAILED,
    /** The receiver answered {@code 410 Gone}: the notification gives up and the endpoint is disabled. */
    GONE
}
