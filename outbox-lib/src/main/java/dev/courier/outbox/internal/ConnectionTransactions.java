package dev.courier.outbox.internal;

import dev.courier.outbox.ConnectionCallback;
import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.OutboxStorageException;
import dev.courier.outbox.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/** The transaction of one plain JDBC connection, owned by the caller: Courier never commits or rolls it back. */
public final class ConnectionTransactions implements Transactions {

    private final Connection connection;

    public ConnectionTransactions(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    public <T> T inCurrentTransaction(ConnectionCallback<T> work) {
        try {
            if (connection.getAutoCommit()) {
                throw new NoActiveTransactionException(
                        "The connection is in auto-commit mode; " + JdbcOutbox.howToPublish());
            }
            return work.doInConnection(connection);
        } catch (SQLException e) {
            throw new OutboxStorageException("Outbox statement failed: " + e.getMessage(), e);
        }
    }

    /** The caller owns the transaction, so this joins it like {@link #inCurrentTransaction}. */
    @Override
    public <T> T inTransaction(ConnectionCallback<T> work) {
        return inCurrentTransaction(work);
    }
}
