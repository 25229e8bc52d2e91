package dev.courier.notifier;

/**
 * A well-formed request that the current state refuses; the subclasses say which state. Nothing was changed. The REST
 * API answers it with 409, the Kafka intake rejects the record as {@code conflict}.
 */
public abstract sealed class StateConflictException extends NotifierException
        permits StateConflictException.AlreadyExists,
                StateConflictException.EndpointDisabled,
                StateConflictException.IdempotencyKeyReused,
                StateConflictException.NotificationFinished {

    StateConflictException(String message) {
        super(message);
    }

    /** A resource created under an id the caller chose (an application) that is already taken. */
    public static final class AlreadyExists extends StateConflictException {
        public AlreadyExists(String message) {
            super(message);
        }
    }

    /** A notification for an endpoint that is disabled. */
    public static final class EndpointDisabled extends StateConflictException {
        public EndpointDisabled(String message) {
            super(message);
        }
    }

    /** An idempotency key already used for a different notification. */
    public static final class IdempotencyKeyReused extends StateConflictException {
        public IdempotencyKeyReused(String message) {
            super(message);
        }
    }

    /** A change that only a pending notification allows (a cancel), asked of one that has finished. */
    public static final class NotificationFinished extends StateConflictException {
        public NotificationFinished(String message) {
            super(message);
        }
    }
}
