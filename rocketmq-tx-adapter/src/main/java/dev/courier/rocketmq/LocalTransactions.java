package dev.courier.rocketmq;

/**
 * Runs the local transaction of a message: the fence row first (its lock makes a concurrent check-back wait), then
 * the work, then the commit. Never throws: every ending is an outcome.
 */
public interface LocalTransactions {

    <T> LocalOutcome<T> run(String transactionId, LocalTransaction<T> work);
}
