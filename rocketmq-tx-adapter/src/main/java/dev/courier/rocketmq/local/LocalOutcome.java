package dev.courier.rocketmq.local;

/** How a local transaction ended, as the broker must be told. */
public sealed interface LocalOutcome<T> {

    record Committed<T>(T value) implements LocalOutcome<T> {}

    /** Rolled back: by the work's {@code cause}, or because a check-back fenced the transaction off first. */
    record RolledBack<T>(Throwable cause) implements LocalOutcome<T> {}

    /** The commit failed in a way that leaves its outcome open (connection lost): the check-back decides. */
    record Unknown<T>(Throwable cause) implements LocalOutcome<T> {}
}
