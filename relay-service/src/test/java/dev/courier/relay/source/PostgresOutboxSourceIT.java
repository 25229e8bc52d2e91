package dev.courier.relay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresOutboxSourceIT extends OutboxSourceContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String STALE = "stale_outbox";
    static final int BACKLOG = 20_000;
    static final int PUBLISHED = 2_000;
    static final int BATCH = 100;

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    String insertWithSeq() {
        return "INSERT INTO courier_outbox (seq, id, aggregatetype, aggregateid, type, payload, headers, partition_no)"
                + " OVERRIDING SYSTEM VALUE";
    }

    /**
     * The cdc relay's check for rows a delete did not find: a transaction still running counts as in progress, also
     * when it is the newest one (its xid at or past the snapshot's xmax is in no xip list), and no longer once it
     * committed.
     */
    @Test
    void aRunningWriterIsInProgressUntilItCommitsAlsoWhenItIsTheNewestTransaction() throws SQLException {
        OutboxSource source =
                new OutboxSource(new Jdbc(DB.dataSource()), SqlDialect.POSTGRESQL, new RelayTables("courier_outbox"));
        try (Connection writer = DB.dataSource().getConnection()) {
            writer.setAutoCommit(false);
            long xid;
            try (Statement statement = writer.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT txid_current() % 4294967296")) {
                rows.next();
                xid = rows.getLong(1);
            }
            assertThat(source.inProgress(List.of(xid))).containsExactly(xid);
            writer.commit();
            assertThat(source.inProgress(List.of(xid))).isEmpty();
        }
        assertThat(source.inProgress(List.of(3L)))
                .as("a long finished transaction")
                .isEmpty();
    }

    /**
     * An outbox drained and vacuumed has statistics of many pages and zero rows; a backlog that builds up afterwards
     * (a Kafka outage) must not turn each delete into a scan of the whole index per published row. Counts the index
     * entries the delete read, not its time; on a table of its own, so that its statistics counters are exact.
     */
    @Test
    void deletesPublishedRowsByKeyLookupsWhenTheStatisticsSayTheTableIsEmpty() throws SQLException {
        new OutboxSchema(Database.POSTGRESQL, STALE, "stale_inbox").migrate(DB.dataSource());
        OutboxSource stale = new OutboxSource(new Jdbc(DB.dataSource()), SqlDialect.POSTGRESQL, new RelayTables(STALE));
        fill();
        execute("DELETE FROM " + STALE);
        // A busy table keeps its pages: truncating them needs an exclusive lock, which vacuum skips under load.
        execute("VACUUM (ANALYZE, TRUNCATE false) " + STALE);
        assertThat(single("SELECT reltuples::bigint FROM pg_class WHERE relname = '" + STALE + "'"))
                .isZero();
        assertThat(single("SELECT relpages FROM pg_class WHERE relname = '" + STALE + "'"))
                .isPositive();
        fill();
        List<OutboxRecord> published = oldest(PUBLISHED);
        awaitDeletesCounted(BACKLOG);
        long indexReadsBefore = stat("pg_stat_user_indexes", "sum(idx_tup_read)");

        // In batches, as the relay deletes: after a few executions the server plans the statement once, generically.
        for (int from = 0; from < PUBLISHED; from += BATCH) {
            stale.removePublished(published.subList(from, from + BATCH));
        }

        awaitDeletesCounted(BACKLOG + PUBLISHED);
        assertThat(single("SELECT count(*) FROM " + STALE)).isEqualTo(BACKLOG - PUBLISHED);
        // One primary-key probe per row; a nested loop over the whole index would read BACKLOG entries per row.
        assertThat(stat("pg_stat_user_indexes", "sum(idx_tup_read)") - indexReadsBefore)
                .isLessThan(10L * PUBLISHED);
    }

    private void fill() throws SQLException {
        execute("INSERT INTO " + STALE + " (id, aggregatetype, aggregateid, type, payload, headers, partition_no)"
                + " SELECT gen_random_uuid(), 'order', 'o-' || n, 'OrderPlaced', 'x', '{}', n % 32"
                + " FROM generate_series(1, " + BACKLOG + ") n");
    }

    private List<OutboxRecord> oldest(int limit) throws SQLException {
        List<OutboxRecord> rows = new ArrayList<>();
        try (Connection connection = DB.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT id, partition_no, seq FROM " + STALE + " ORDER BY seq LIMIT " + limit)) {
            while (row.next()) {
                rows.add(new OutboxRecord(
                        row.getString(1),
                        "order",
                        "o",
                        "OrderPlaced",
                        new byte[] {'x'},
                        "{}",
                        row.getInt(2),
                        row.getLong(3),
                        Instant.now(),
                        0));
            }
        }
        return rows;
    }

    /** Statistics reach the shared counters when the deleting session reports them, within seconds. */
    private void awaitDeletesCounted(long deletes) {
        await().atMost(Duration.ofSeconds(30)).until(() -> stat("pg_stat_user_tables", "sum(n_tup_del)") >= deletes);
    }

    private long stat(String view, String expression) throws SQLException {
        return single("SELECT coalesce(" + expression + ", 0) FROM " + view + " WHERE relname = '" + STALE + "'");
    }

    private long single(String sql) throws SQLException {
        try (Connection connection = DB.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DB.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
