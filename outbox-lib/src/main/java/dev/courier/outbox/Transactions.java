package dev.courier.outbox;

/**
 * Where the outbox and the inbox find the caller's transaction. Courier ships one for Spring-managed transactions
 * ({@code dev.courier.outbox.spring.SpringTransactions}) and one bound to a plain JDBC {@link java.sql.Connection}.
 *
 * <p>Implementations must propagate runtime exceptions thrown by the callback unchanged and wrap a
 * {@link java.sql.SQLException} in an {@link OutboxStorageException}.
 */
public interface Transactions {

    /**
     * Runs {@code work} on the connection of the transaction active on this thread, without committing.
     *
     * @throws NoActiveTransactionException when no transaction is active; never runs in auto-commit mode
     */
    <T> T inCurrentTransaction(ConnectionCallback<T> work);

    /**
     * Runs {@code work} in a transaction: joins the active one, or begins one and commits it when {@code work}
     * returns, rolling it back when {@code work} throws.
     */
    <T> T inTransaction(ConnectionCallback<T> work);

    /**
     * Arranges for {@code action} to run once after the transaction active on this thread commits, and never if it
     * rolls back. Registering the same action instance again in the same transaction has no further effect. The
     * action must be quick and must not throw.
     *
     * @return {@code false} when this implementation cannot observe commits (the outbox then sends its relay wake-up
     *     inside the transaction instead)
     */
    default boolean afterCommit(Runnable action) {
        return false;
    }
}
