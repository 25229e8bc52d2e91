package dev.courier.notifier.notification;

/** Where a notification stands. Every accepted notification ends in one of the last three. */
public enum NotificationStatus {
    /** Waiting for its next attempt (or in flight on some instance). */
    PENDING,
    /** The receiver acknowledged it. */
    DELIVERED,
    /** Its retry profile is used up, or the receiver answered {@code 410 Gone}; it can be redelivered by hand. */
    GAVE_UP,
    /** Cancelled through the API before it was delivered; it can be redelivered by hand. */
    CANCELLED
}
