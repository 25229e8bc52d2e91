package dev.courier.rocketmq.fence;

/** What the fence row of a transactional message says. */
public enum FenceStatus {
    /** The local transaction committed: the message is to be delivered. */
    COMMITTED,
    /** A check-back found no committed local transaction and fenced it off for good: the message is dropped. */
    ROLLED_BACK
}
