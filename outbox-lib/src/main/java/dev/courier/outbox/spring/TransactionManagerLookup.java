package dev.courier.outbox.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;

/**
 * Finds the transaction manager whose transactions include a {@link DataSource}, so that an outbox or fence row is
 * written in the same transaction as the business rows. Used by the auto-configurations; call it yourself when you
 * wire {@link SpringTransactions} by hand.
 *
 * <p>The rules, in order: the one manager that manages the DataSource (a {@code DataSourceTransactionManager},
 * {@code JdbcTransactionManager}, {@code JpaTransactionManager} or {@code HibernateTransactionManager} of it) wins,
 * whatever other managers exist (e.g. a {@code KafkaTransactionManager}); otherwise the one manager that manages no
 * particular resource (JTA); otherwise none exists and plain JDBC applies. Every other situation is a
 * configuration error, reported with the managers' bean names.
 */
public final class TransactionManagerLookup {

    private TransactionManagerLookup() {}

    /**
     * @return the manager to use, empty when the application has none
     * @throws IllegalStateException naming the beans when none or several could be meant
     */
    public static Optional<PlatformTransactionManager> forDataSource(DataSource dataSource, ListableBeanFactory beans) {
        Map<String, PlatformTransactionManager> managers = beans.getBeansOfType(PlatformTransactionManager.class);
        List<String> managing = new ArrayList<>();
        List<String> global = new ArrayList<>();
        List<String> others = new ArrayList<>();
        managers.forEach((name, manager) -> {
            Object resource = managedResource(manager);
            if (resource == null) {
                global.add(name);
            } else if (resource instanceof DataSource other && sameDataSource(other, dataSource)) {
                managing.add(name);
            } else {
                others.add(name + " (" + manager.getClass().getSimpleName() + " of another resource)");
            }
        });
        if (managing.size() == 1) {
            return Optional.of(managers.get(managing.getFirst()));
        }
        if (managing.size() > 1) {
            throw new IllegalStateException("Several transaction managers manage the outbox's DataSource: " + managing
                    + ". Define a dev.courier.outbox.Transactions bean (new SpringTransactions(dataSource, manager))"
                    + " naming the one your business transactions use.");
        }
        if (global.size() == 1) {
            return Optional.of(managers.get(global.getFirst()));
        }
        if (global.isEmpty() && others.isEmpty()) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>(global);
        all.addAll(others);
        throw new IllegalStateException("None of the transaction managers " + all + " is the one that manages the"
                + " outbox's DataSource, so an outbox row could not be written in your business transactions. Define"
                + " a DataSourceTransactionManager (or JpaTransactionManager) of that DataSource, or a"
                + " dev.courier.outbox.Transactions bean (new SpringTransactions(dataSource, manager)).");
    }

    /** The resource a manager's transactions are bound to, or null for one that manages none in particular (JTA). */
    private static Object managedResource(PlatformTransactionManager manager) {
        BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(manager);
        // JPA and Hibernate managers are bound to their EntityManagerFactory but expose the JDBC DataSource too.
        if (properties.isReadableProperty("dataSource")
                && properties.getPropertyValue("dataSource") instanceof DataSource jdbc) {
            return jdbc;
        }
        return manager instanceof ResourceTransactionManager resourceManager
                ? resourceManager.getResourceFactory()
                : null;
    }

    static boolean sameDataSource(DataSource a, DataSource b) {
        return a == b || unwrap(a) == unwrap(b);
    }

    private static DataSource unwrap(DataSource dataSource) {
        DataSource current = dataSource;
        while (current instanceof DelegatingDataSource delegating && delegating.getTargetDataSource() != null) {
            current = delegating.getTargetDataSource();
        }
        return current;
    }
}
