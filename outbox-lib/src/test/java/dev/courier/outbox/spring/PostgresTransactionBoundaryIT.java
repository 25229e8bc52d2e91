package dev.courier.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.courier.outbox.Database;
import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A message exists only if its business transaction committed, also when the transaction that is active belongs to
 * another resource than the outbox's DataSource: then the publish is refused and nothing is written, instead of a
 * row auto-committed on a connection of its own that outlives the rollback.
 */
class PostgresTransactionBoundaryIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    /** The same database through a second pool: another DataSource, as a second database would be. */
    static HikariDataSource otherDataSource;

    static JdbcClient jdbc;

    @BeforeAll
    static void schema() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        otherDataSource = new HikariDataSource();
        otherDataSource.setJdbcUrl(DB.database().jdbcUrl());
        otherDataSource.setUsername(DB.database().user());
        otherDataSource.setPassword(DB.database().password());
        jdbc = JdbcClient.create(DB.dataSource());
    }

    @AfterAll
    static void close() {
        otherDataSource.close();
    }

    @BeforeEach
    void empty() {
        jdbc.sql("DELETE FROM courier_outbox").update();
    }

    static long rows() {
        return jdbc.sql("SELECT count(*) FROM courier_outbox").query(Long.class).single();
    }

    static Outbox outbox(PlatformTransactionManager manager) {
        return Outbox.builder(DB.dataSource())
                .transactions(new SpringTransactions(DB.dataSource(), manager))
                .build();
    }

    @Test
    void refusesAPublishInATransactionOfAnotherDataSourcesManager() {
        PlatformTransactionManager other = new DataSourceTransactionManager(otherDataSource);
        Outbox outbox = outbox(other);

        assertThatThrownBy(() -> new TransactionTemplate(other).executeWithoutResult(status -> {
                    outbox.publish("order", "o-1", "OrderPlaced", Map.of("id", "o-1"));
                    status.setRollbackOnly();
                }))
                .isInstanceOf(NoActiveTransactionException.class)
                .hasMessageContaining("does not include this DataSource");
        assertThat(rows()).isZero();
    }

    @Test
    void refusesAPublishInATransactionThatManagesNoDataSource() {
        PlatformTransactionManager own = new DataSourceTransactionManager(DB.dataSource());
        Outbox outbox = outbox(own);

        assertThatThrownBy(() -> new TransactionTemplate(new OtherResourceTransactionManager())
                        .executeWithoutResult(
                                status -> outbox.publish("order", "o-2", "OrderPlaced", Map.of("id", "o-2"))))
                .isInstanceOf(NoActiveTransactionException.class)
                .hasMessageContaining("auto-commit");
        assertThat(rows()).isZero();
    }

    @Test
    void aPublishInTheOutboxDataSourcesTransactionCommitsAndRollsBackWithIt() {
        PlatformTransactionManager own = new DataSourceTransactionManager(DB.dataSource());
        Outbox outbox = outbox(own);

        new TransactionTemplate(own).executeWithoutResult(status -> {
            outbox.publish("order", "o-3", "OrderPlaced", Map.of("id", "o-3"));
            status.setRollbackOnly();
        });
        assertThat(rows()).isZero();
        new TransactionTemplate(own)
                .executeWithoutResult(status -> outbox.publish("order", "o-4", "OrderPlaced", Map.of("id", "o-4")));
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aPublishInsideAnOtherResourcesTransactionNestedInTheOutboxOneIsPartOfTheOutboxOne() {
        PlatformTransactionManager own = new DataSourceTransactionManager(DB.dataSource());
        Outbox outbox = outbox(own);

        new TransactionTemplate(own).executeWithoutResult(outer -> {
            new TransactionTemplate(new OtherResourceTransactionManager())
                    .executeWithoutResult(inner -> outbox.publish("order", "o-5", "OrderPlaced", Map.of("id", "o-5")));
            outer.setRollbackOnly();
        });
        assertThat(rows()).isZero();
    }

    /**
     * A real Spring transaction manager whose transactions hold no JDBC resource, as a Kafka-only or a messaging
     * transaction manager: synchronization is active, the DataSource is in none of it.
     */
    static final class OtherResourceTransactionManager extends AbstractPlatformTransactionManager {

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {}

        @Override
        protected void doCommit(DefaultTransactionStatus status) {}

        @Override
        protected void doRollback(DefaultTransactionStatus status) {}
    }
}
