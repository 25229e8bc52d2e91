package dev.courier.relay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelaySchema;
import dev.courier.relay.db.RelayTables;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The outbox reads the engine relies on, on every supported database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutboxSourceContract {

    static final RelayTables TABLES = new RelayTables("courier_outbox");
    static final int PARTITION = 7;

    OutboxSource source;

    abstract TestDatabaseExtension db();

    /** The INSERT prefix that lets a test choose the row's seq, as a late-committing transaction would have had it. */
    abstract String insertWithSeq();

    @BeforeAll
    void schema() {
        Database database = Database.of(db().dataSource());
        new OutboxSchema(database, "courier_outbox", "courier_inbox").migrate(db().dataSource());
        RelaySchema.migrate(db().dataSource(), database, TABLES);
        source = new OutboxSource(new Jdbc(db().dataSource()), SqlDialect.of(database), TABLES);
    }

    @BeforeEach
    void emptyOutbox() throws SQLException {
        execute("DELETE FROM courier_outbox");
    }

    @Test
    void fetchesTheOldestRowsOfEachPartitionInSeqOrder() throws SQLException {
        for (long seq : new long[] {105, 101, 103, 102, 104}) {
            insert(PARTITION, seq);
        }
        insert(PARTITION + 1, 100);

        assertThat(source.fetch(List.of(PARTITION, PARTITION + 1), 3))
                .extracting(OutboxRecord::partition, OutboxRecord::seq)
                .containsExactly(
                        tuple(PARTITION, 101L),
                        tuple(PARTITION, 102L),
                        tuple(PARTITION, 103L),
                        tuple(PARTITION + 1, 100L));
    }

    @Test
    void skipsRowsAwaitingDeleteAndStillReturnsTheLimitOfOthers() throws SQLException {
        for (long seq = 201; seq <= 206; seq++) {
            insert(PARTITION, seq);
        }

        List<OutboxRecord> rows = source.fetch(
                        List.of(new OutboxSource.Window(PARTITION, 0, Set.of(201L, 202L, 203L))), 2)
                .rows();

        assertThat(rows).extracting(OutboxRecord::seq).containsExactly(204L, 205L);
    }

    @Test
    void findsARowThatCommittedLateBelowTheRowsAwaitingDelete() throws SQLException {
        insert(PARTITION, 301);
        insert(PARTITION, 302);
        // A transaction that took seq 300 before the others commits only now, while 301 and 302 are published and
        // their delete is still pending: the next fetch must not jump over it.
        insert(PARTITION, 300);

        List<OutboxRecord> rows = source.fetch(List.of(new OutboxSource.Window(PARTITION, 0, Set.of(301L, 302L))), 10)
                .rows();

        assertThat(rows).extracting(OutboxRecord::seq).containsExactly(300L);
    }

    @Test
    void looksAboveEachWindowsFloorAndReportsTheLowestRowIncludingSkippedOnes() throws SQLException {
        for (long seq = 401; seq <= 406; seq++) {
            insert(PARTITION, seq);
        }
        insert(PARTITION + 1, 400);

        OutboxSource.Fetched fetched = source.fetch(
                List.of(
                        new OutboxSource.Window(PARTITION, 402, Set.of(403L)),
                        new OutboxSource.Window(PARTITION + 1, 0, Set.of())),
                2);

        assertThat(fetched.rows())
                .extracting(OutboxRecord::partition, OutboxRecord::seq)
                .containsExactly(tuple(PARTITION, 404L), tuple(PARTITION, 405L), tuple(PARTITION + 1, 400L));
        assertThat(fetched.lowestSeq())
                .containsExactlyInAnyOrderEntriesOf(Map.of(PARTITION, 403L, PARTITION + 1, 400L));
    }

    private void insert(int partition, long seq) throws SQLException {
        execute(insertWithSeq() + " VALUES (" + seq + ", '" + new UUID(0x0000_0000_0000_7000L, seq) + "', 'order', 'o-"
                + seq + "', 'OrderPlaced', 'x', '{}', " + partition + ")");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = db().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
