package dev.courier.outbox.spring;

import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.OutboxStorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The connection of the active Spring transaction on a {@link DataSource}, or a refusal: never a connection of its
 * own that auto-commits what is written on it.
 *
 * <p>When the active transaction belongs to another resource (a manager of another DataSource, a Kafka-only
 * transaction), Spring's {@link DataSourceUtils} hands out a fresh pooled connection in auto-commit mode, and a row
 * written on it would outlive the business transaction's rollback. This class detects that case: a resource-local
 * manager of the DataSource binds its connection when its transaction begins, and a connection outside every
 * transaction is in auto-commit mode.
 */
public final class TransactionalConnections {

    private TransactionalConnections() {}

    /**
     * Gets the connection of the active transaction; release it with {@link DataSourceUtils#releaseConnection}.
     *
     * @param manager the manager the caller expects to run the transaction; a resource-local one (not JTA) must have
     *     bound its connection already
     * @throws NoActiveTransactionException when the connection is not part of the active transaction
     */
    public static Connection obtain(DataSource dataSource, PlatformTransactionManager manager) {
        boolean bound = TransactionSynchronizationManager.hasResource(dataSource);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit || (manager instanceof ResourceTransactionManager && !bound)) {
                throw new NoActiveTransactionException("The active Spring transaction does not include this"
                        + " DataSource ("
                        + (autoCommit
                                ? "its connection is in auto-commit mode"
                                : "no transaction manager of it began the transaction")
                        + "): run it in a transaction of the transaction manager that manages that DataSource;"
                        + " nothing was written");
            }
            return connection;
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw new OutboxStorageException("Could not inspect the transaction's connection: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw e;
        }
    }
}
