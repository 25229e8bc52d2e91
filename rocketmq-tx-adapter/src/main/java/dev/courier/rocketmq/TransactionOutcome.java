package dev.courier.rocketmq;

/** What became of a transactional message when {@link TransactionalSender#send} returned. */
public enum TransactionOutcome {
    /** The local transaction committed; the message was committed at the broker (or will be by the check-back). */
    COMMITTED,
    /**
     * The local transaction did not commit and the message is dropped. Without an exception this means a check-back
     * had already decided to roll back before the local transaction could start (the half message's answer was late).
     */
    ROLLED_BACK,
    /**
     * The commit's outcome is unknown (the connection was lost while committing): the broker asks back, and the fence
     * row answers from what the database actually did.
     */
    UNKNOWN
}
