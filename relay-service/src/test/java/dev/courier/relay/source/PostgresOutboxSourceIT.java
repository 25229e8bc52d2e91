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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
     * Fetch floors rely on the lock a writer takes before its insert draws a seq: a writer counts from then on, also
     * while it has no transaction id (here it waits in a BEFORE INSERT trigger, its seq drawn), and no longer once it
     * committed.
     */
    @Test
    void aWriterCountsFromTheMomentItsInsertDrawsASeqUntilItEnds() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "gated_outbox", "gated_inbox").migrate(DB.dataSource());
        execute("CREATE FUNCTION wait_at_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " PERFORM pg_advisory_xact_lock(77); RETURN NEW; END $$");
        execute("CREATE TRIGGER wait_at_gate BEFORE INSERT ON gated_outbox FOR EACH ROW EXECUTE FUNCTION"
                + " wait_at_gate()");
        OutboxSource gated =
                new OutboxSource(new Jdbc(DB.dataSource()), SqlDialect.POSTGRESQL, new RelayTables("gated_outbox"));
        // The first seq of a sequence is written to the WAL, which assigns a transaction id; the next 32 are not.
        execute(INSERT_GATED);
        Set<String> before = gated.writers();
        try (Connection gate = DB.dataSource().getConnection();
                Connection writer = DB.dataSource().getConnection()) {
            execute(gate, "SELECT pg_advisory_lock(77)");
            writer.setAutoCommit(false);
            CompletableFuture<Void> insert = CompletableFuture.runAsync(() -> {
                try {
                    execute(writer, INSERT_GATED);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> single("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                    + " AND wait_event = 'advisory' AND backend_xid IS NULL")
                            == 1);
            assertThat(single("SELECT last_value FROM pg_sequences WHERE sequencename LIKE 'gated_outbox%'"))
                    .as("the seq is drawn")
                    .isEqualTo(2);
            Set<String> waiting = gated.writers();
            assertThat(waiting).hasSize(before.size() + 1);

            execute(gate, "SELECT pg_advisory_unlock(77)");
            insert.get();
            assertThat(gated.writers()).isEqualTo(waiting);
            writer.commit();
            assertThat(gated.writers()).isEqualTo(before);
        }
    }

    private static final String INSERT_GATED = "INSERT INTO gated_outbox (id, aggregatetype, aggregateid, type,"
            + " payload, headers, partition_no) VALUES (gen_random_uuid(), 'order', 'o-1', 'OrderPlaced', 'x', '{}', 1)";

    /** Fetch floors need a seq sequence that hands out values in call order: no cache per session. */
    @Test
    void fetchFloorsAreSupportedWhileTheSeqSequenceHasNoCache() throws SQLException {
        new OutboxSchema(Database.POSTGRESQL, "cached_outbox", "cached_inbox").migrate(DB.dataSource());
        OutboxSource cached =
                new OutboxSource(new Jdbc(DB.dataSource()), SqlDialect.POSTGRESQL, new RelayTables("cached_outbox"));
        assertThat(cached.supportsFetchFloors()).isTrue();

        execute("ALTER TABLE cached_outbox ALTER COLUMN seq SET CACHE 20");

        assertThat(cached.supportsFetchFloors()).isFalse();
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
        try (Connection connection = DB.dataSource().getConnection()) {
            execute(connection, sql);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
