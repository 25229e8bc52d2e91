package dev.courier.outbox.internal;

import dev.courier.outbox.ConnectionCallback;
import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.OutboxStorageException;
import dev.courier.outbox.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Plain JDBC without a transaction framework: there is no ambient transaction to join, so publishing needs an
 * explicit connection, while {@link #inTransaction} runs its own transaction on a pooled connection.
 */
public final class DataSourceTransactions implements Transactions {

    private final DataSource dataSource;

    public DataSourceTransactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public <T> T inCurrentTransaction(ConnectionCallback<T> work) {
        throw new NoActiveTransactionException("No transaction is active; " + JdbcOutbox.howToPublish());
    }

    @Override
    public <T> T inTransaction(ConnectionCallback<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.doInConnection(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new OutboxStorageException("Transaction failed: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
