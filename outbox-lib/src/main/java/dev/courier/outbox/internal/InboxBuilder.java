package dev.courier.outbox.internal;

import dev.courier.outbox.Database;
import dev.courier.outbox.SqlIdentifiers;
import dev.courier.outbox.Transactions;
import dev.courier.outbox.inbox.Inbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import javax.sql.DataSource;

/** Builds a {@link JdbcInbox}; the defaults documented on {@link Inbox.Builder} live here. */
public final class InboxBuilder implements Inbox.Builder {

    public static final String DEFAULT_TABLE = "courier_inbox";
    public static final String DEFAULT_CONSUMER = "default";

    private final DataSource dataSource;
    private Database database;
    private String table = DEFAULT_TABLE;
    private String consumer = DEFAULT_CONSUMER;
    private Transactions transactions;
    private MeterRegistry meterRegistry = Metrics.globalRegistry;

    public InboxBuilder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Inbox.Builder database(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        return this;
    }

    @Override
    public Inbox.Builder table(String table) {
        this.table = SqlIdentifiers.require(table, "table");
        return this;
    }

    @Override
    public Inbox.Builder consumer(String consumer) {
        this.consumer = JdbcInbox.requireKey(consumer, "consumer");
        return this;
    }

    @Override
    public Inbox.Builder transactions(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        return this;
    }

    @Override
    public Inbox.Builder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    @Override
    public Inbox build() {
        Database db = database != null ? database : Database.of(dataSource);
        return new JdbcInbox(
                table,
                consumer,
                Dialect.of(db),
                transactions != null ? transactions : new DataSourceTransactions(dataSource),
                new InboxMetrics(meterRegistry));
    }
}
