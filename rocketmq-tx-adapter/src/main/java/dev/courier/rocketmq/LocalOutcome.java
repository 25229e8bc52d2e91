package dev.courier.rocketmq;

import java.sql.SQLException;

/** How a local transaction ended, as the broker must be told. */
public sealed interface LocalOutcome<T> {

    record Committed<T>(T value) implements LocalOutcome<T> {}

    /** Rolled back: by the work's {@code cause}, or because a check-back fenced the transaction off first. */
    record RolledBack<T>(Throwable cause) implements LocalOutcome<T> {}

    /** The commit failed in a way that leaves its outcome open (connection lost): the check-back decides. */
    record Unknown<T>(Throwable cause) implements LocalOutcome<T> {}

    /**
     * The outcome of a commit that threw {@code failure}: rolled back only when the database answered with a refusal
     * (an integrity violation, class 23, e.g. a deferred constraint; a serialization failure or deadlock, class 40).
     * A lost connection (class 08) and everything else may have committed: unknown, for the check-back to decide.
     */
    static <T> LocalOutcome<T> ofCommitFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                String sqlClass = state.length() >= 2 ? state.substring(0, 2) : "";
                return sqlClass.equals("23") || sqlClass.equals("40")
                        ? new RolledBack<>(failure)
                        : new Unknown<>(failure);
            }
        }
        return new Unknown<>(failure);
    }
}
