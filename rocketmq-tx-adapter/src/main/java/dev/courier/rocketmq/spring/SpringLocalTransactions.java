package dev.courier.rocketmq.spring;

import dev.courier.outbox.spring.TransactionalConnections;
import dev.courier.rocketmq.LocalOutcome;
import dev.courier.rocketmq.LocalTransaction;
import dev.courier.rocketmq.LocalTransactions;
import dev.courier.rocketmq.fence.FenceStore;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring-managed: the local transaction is a Spring transaction on the application's transaction manager, so the
 * work may use JdbcTemplate, JPA or jOOQ on the same data source; the fence row is written on the connection Spring
 * bound to it.
 *
 * <p>A transactional message cannot join a transaction that is already running: its local transaction must have
 * committed when the message is committed at the broker, and an outer transaction commits later (or not at all).
 */
public final class SpringLocalTransactions implements LocalTransactions {

    private final DataSource dataSource;
    private final PlatformTransactionManager manager;
    private final TransactionTemplate template;
    private final FenceStore fence;

    public SpringLocalTransactions(DataSource dataSource, PlatformTransactionManager manager, FenceStore fence) {
        this.dataSource = dataSource;
        this.manager = manager;
        this.template = new TransactionTemplate(manager);
        this.fence = fence;
    }

    /** Rejects a send from inside a running transaction, before any message is sent. */
    public static void requireNoActiveTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A transactional message must be sent outside a running transaction: its"
                    + " local transaction has to commit before the message is committed (call send() from a method"
                    + " that is not @Transactional, and do the business work inside the LocalTransaction)");
        }
    }

    @Override
    public <T> LocalOutcome<T> run(String transactionId, LocalTransaction<T> work) {
        boolean[] workDone = {false};
        try {
            T value = template.execute(status -> {
                // Refuses a manager whose transactions leave this DataSource's connection in auto-commit mode: the
                // fence row would commit on its own and confirm a message whose work rolled back.
                Connection connection = TransactionalConnections.obtain(dataSource, manager);
                try {
                    fence.markCommitted(connection, transactionId);
                    T result = work.execute(connection);
                    workDone[0] = true;
                    return result;
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new CheckedWorkFailure(e);
                } finally {
                    DataSourceUtils.releaseConnection(connection, dataSource);
                }
            });
            return new LocalOutcome.Committed<>(value);
        } catch (CheckedWorkFailure e) {
            return new LocalOutcome.RolledBack<>(e.getCause());
        } catch (RuntimeException | Error e) {
            if (!workDone[0] || e instanceof UnexpectedRollbackException) {
                return new LocalOutcome.RolledBack<>(e);
            }
            return LocalOutcome.ofCommitFailure(e);
        }
    }

    /** Carries a checked exception of the work through the template, which rolls back on runtime exceptions. */
    private static final class CheckedWorkFailure extends RuntimeException {
        CheckedWorkFailure(Exception cause) {
            super(cause);
        }
    }
}
