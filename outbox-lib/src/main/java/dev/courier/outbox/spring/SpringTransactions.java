package dev.courier.outbox.spring;

import dev.courier.outbox.ConnectionCallback;
import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.OutboxStorageException;
import dev.courier.outbox.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring-managed transactions: the outbox writes on the connection Spring bound to the current transaction, so it
 * commits or rolls back with everything else the transaction did (JDBC, JPA/Hibernate, jOOQ on the same
 * {@link DataSource}). Propagation follows Spring's rules: under {@code REQUIRES_NEW} the message belongs to the inner
 * transaction, under {@code NESTED} it is rolled back with the savepoint.
 *
 * <p>A publish in a transaction that does not include the {@link DataSource} (one of another DataSource's manager, a
 * Kafka-only transaction) fails with {@link NoActiveTransactionException} before any SQL: the row would otherwise be
 * written on a connection of its own, auto-committed, and outlive the business transaction's rollback.
 */
public final class SpringTransactions implements Transactions {

    private final DataSource dataSource;
    private final TransactionTemplate template;
    private final PlatformTransactionManager manager;

    public SpringTransactions(DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.template = new TransactionTemplate(Objects.requireNonNull(transactionManager, "transactionManager"));
        this.manager = transactionManager;
    }

    @Override
    public <T> T inCurrentTransaction(ConnectionCallback<T> work) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new NoActiveTransactionException("No Spring transaction is active: publish from a @Transactional"
                    + " method or a TransactionTemplate (a SUPPORTS/NOT_SUPPORTED scope does not count)");
        }
        if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new NoActiveTransactionException("The current Spring transaction is read-only");
        }
        Connection connection = TransactionalConnections.obtain(dataSource, manager);
        try {
            return work.doInConnection(connection);
        } catch (SQLException e) {
            throw new OutboxStorageException("Outbox statement failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    @Override
    public <T> T inTransaction(ConnectionCallback<T> work) {
        return template.execute(status -> inCurrentTransaction(work));
    }

    /**
     * Uses a transaction synchronization, which Spring suspends with its transaction: under {@code REQUIRES_NEW}
     * the action belongs to the inner transaction.
     */
    @Override
    public boolean afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        AfterCommit synchronization = new AfterCommit(action);
        if (!TransactionSynchronizationManager.getSynchronizations().contains(synchronization)) {
            TransactionSynchronizationManager.registerSynchronization(synchronization);
        }
        return true;
    }

    private record AfterCommit(Runnable action) implements TransactionSynchronization {

        @Override
        public void afterCommit() {
            action.run();
        }
    }
}
