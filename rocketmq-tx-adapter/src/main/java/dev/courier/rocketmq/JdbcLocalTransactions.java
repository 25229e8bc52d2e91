package dev.courier.rocketmq;

import dev.courier.rocketmq.fence.FenceStore;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Plain JDBC: each local transaction on a connection of its own from the data source. */
public final class JdbcLocalTransactions implements LocalTransactions {

    private final DataSource dataSource;
    private final FenceStore fence;

    public JdbcLocalTransactions(DataSource dataSource, FenceStore fence) {
        this.dataSource = dataSource;
        this.fence = fence;
    }

    @Override
    public <T> LocalOutcome<T> run(String transactionId, LocalTransaction<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T value;
                try {
                    fence.markCommitted(connection, transactionId);
                    value = work.execute(connection);
                } catch (Exception | Error e) {
                    rollbackQuietly(connection, e);
                    return new LocalOutcome.RolledBack<>(e);
                }
                try {
                    connection.commit();
                } catch (SQLException e) {
                    return LocalOutcome.ofCommitFailure(e);
                }
                return new LocalOutcome.Committed<>(value);
            } finally {
                restoreAutoCommit(connection);
            }
        } catch (SQLException e) {
            // No connection, or it broke before the work began: nothing was committed.
            return new LocalOutcome.RolledBack<>(e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // A broken connection: the pool discards it.
        }
    }
}
