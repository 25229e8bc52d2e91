package dev.courier.bench;

import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.PayloadSerializer;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.spring.SpringTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What does {@code outbox.publish} add to a business transaction? Each cell runs the same transaction (insert one
 * order row, commit) without and with publishing a 1 KB JSON payload, once with Spring-managed transactions
 * (relay wake-up after commit) and once with plain JDBC (NOTIFY inside the transaction). Variants alternate in short
 * rounds so that all see the same database state (table sizes, checkpoints, autovacuum).
 *
 * <p>Usage: {@code OutboxWriteBench [seconds-per-cell] [postgres|mariadb ...]}.
 */
public final class OutboxWriteBench {

    private static final int ROUNDS = 4;
    private static final String INSERT_ONLY = "insert only";
    private static final String RAW_ROW = "insert + raw 1 KB insert (limit)";
    private static final String SHAPED_ROW = "insert + hand-written row of the outbox's shape";
    private static final String PUBLISH = "insert + publish";
    private static final int VARIANTS_PER_KIND = 4;
    private static final int[] THREADS = {1, 8};
    private static final AtomicLong ORDER_IDS = new AtomicLong();
    private static final AtomicLong RAW_IDS = new AtomicLong();
    private static final byte[] RAW_PAYLOAD = new byte[1024];

    public static void main(String[] args) throws Exception {
        Duration cell = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        List<DatabaseKind> kinds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            kinds.add(args[i].startsWith("maria") ? DatabaseKind.MARIADB : DatabaseKind.POSTGRESQL);
        }
        if (kinds.isEmpty()) {
            kinds = List.of(DatabaseKind.POSTGRESQL, DatabaseKind.MARIADB);
        }
        StringBuilder report = new StringBuilder();
        report.append("### Outbox write overhead\n\n")
                .append("Business transaction = insert one order row + commit; \"+ publish\" also writes a 1 KB JSON")
                .append(" outbox message in the same transaction. ")
                .append(BenchResults.cellsAndMachine(cell, ROUNDS))
                .append("\n\n")
                .append("Each cell: median of the rounds (lowest–highest).\n\n")
                .append("| database | threads | transactions | variant | tx/s | p50 ms | p99 ms | p50 vs insert only |"
                        + " p50 vs raw second row |\n")
                .append("|---|---:|---|---|---:|---:|---:|---:|---:|\n");
        Summary summary = new Summary("outbox");
        int cells = kinds.size() * THREADS.length;
        Progress progress = new Progress(
                "outbox",
                cells,
                cell.multipliedBy(8 * cells).plus(cell.multipliedBy(cells * 8).dividedBy(ROUNDS * 4)));
        for (DatabaseKind kind : kinds) {
            try (TestDatabase db = TestDatabase.create(kind, "bench")) {
                prepare(db.dataSource());
                DataSource dataSource = db.dataSource();
                DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
                TransactionTemplate template = new TransactionTemplate(manager);
                Outbox springOutbox = Outbox.builder(dataSource)
                        .transactions(new SpringTransactions(dataSource, manager))
                        .build();
                Outbox jdbcOutbox = Outbox.builder(dataSource).build();
                List<Variant> variants = new ArrayList<>();
                for (boolean spring : new boolean[] {true, false}) {
                    ExtraWrite publish = spring
                            ? (connection, orderId) -> springOutbox.publish("order", orderId, "OrderPlaced", PAYLOAD)
                            : (connection, orderId) ->
                                    jdbcOutbox.on(connection).publish("order", orderId, "OrderPlaced", PAYLOAD);
                    List<Map.Entry<String, ExtraWrite>> writes = List.of(
                            Map.entry(INSERT_ONLY, NONE),
                            Map.entry(RAW_ROW, OutboxWriteBench::insertRawMessage),
                            Map.entry(SHAPED_ROW, OutboxWriteBench::insertShapedRow),
                            Map.entry(PUBLISH, publish));
                    for (Map.Entry<String, ExtraWrite> write : writes) {
                        variants.add(new Variant(
                                spring ? "Spring" : "plain JDBC",
                                write.getKey(),
                                spring
                                        ? () -> springTransaction(template, dataSource, write.getValue())
                                        : () -> jdbcTransaction(dataSource, write.getValue())));
                    }
                }
                String name = databaseName(dataSource);
                for (int threads : THREADS) {
                    Duration round = cell.dividedBy(ROUNDS);
                    progress.step(
                            String.format(
                                    "%s, %d thread(s): %d variants in %d rounds of %d s",
                                    name, threads, variants.size(), ROUNDS, round.toSeconds()),
                            round.multipliedBy(ROUNDS * variants.size()));
                    for (Variant variant : variants) {
                        run(variant, threads, round.dividedBy(4), new LatencyRecorder()); // warm-up
                    }
                    for (int r = 0; r < ROUNDS; r++) {
                        for (Variant variant : variants) {
                            run(variant, threads, round, variant.rounds().next());
                        }
                    }
                    for (int i = 0; i < variants.size(); i += VARIANTS_PER_KIND) {
                        Rounds insertOnly = variants.get(i).rounds();
                        Rounds raw = variants.get(i + 1).rounds();
                        Rounds shaped = variants.get(i + 2).rounds();
                        for (Variant variant : variants.subList(i, i + VARIANTS_PER_KIND)) {
                            report.append(row(
                                    name,
                                    threads,
                                    variant,
                                    variant.rounds().percentileRatio(insertOnly, 50),
                                    variant.rounds().percentileRatio(raw, 50)));
                        }
                        summary.goal(
                                String.format(
                                        "%s, %d thread(s), %s: publish p50 / raw second-row p50",
                                        name, threads, variants.get(i).transactions),
                                "×",
                                variants.get(i + 3).rounds().percentileRatio(raw, 50),
                                false,
                                1.05,
                                Summary.Judged.MEDIAN,
                                "a hand-written row of the outbox's shape: "
                                        + shaped.percentileRatio(raw, 50).format("%.2f") + "×; publish / that row: "
                                        + variants.get(i + 3)
                                                .rounds()
                                                .percentileRatio(shaped, 50)
                                                .format("%.2f") + "×");
                    }
                    variants.forEach(Variant::reset);
                }
            }
        }
        BenchResults.publish("outbox-write.md", report.append("\n").append(summary.table()));
        summary.write();
    }

    /** One benchmarked business transaction, with its latencies. */
    private static final class Variant {
        final String transactions;
        final String name;
        final BusinessTransaction transaction;
        private Rounds rounds = new Rounds();

        Variant(String transactions, String name, BusinessTransaction transaction) {
            this.transactions = transactions;
            this.name = name;
            this.transaction = transaction;
        }

        Rounds rounds() {
            return rounds;
        }

        void reset() {
            rounds = new Rounds();
        }
    }

    @FunctionalInterface
    private interface BusinessTransaction {
        void run() throws SQLException;
    }

    private static void run(Variant variant, int threads, Duration duration, LatencyRecorder into) throws Exception {
        ClosedLoop.run(variant.transaction::run, threads, duration, into);
    }

    /** What the business transaction writes besides its order row; gets the transaction's connection. */
    @FunctionalInterface
    private interface ExtraWrite {
        void write(Connection connection, String orderId) throws SQLException;
    }

    private static final ExtraWrite NONE = (connection, orderId) -> {};

    private static void springTransaction(TransactionTemplate spring, DataSource dataSource, ExtraWrite extra) {
        String orderId = "o-" + ORDER_IDS.incrementAndGet();
        spring.executeWithoutResult(status -> {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                Orders.insert(connection, orderId);
                extra.write(connection, orderId);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        });
    }

    private static void jdbcTransaction(DataSource dataSource, ExtraWrite extra) throws SQLException {
        String orderId = "o-" + ORDER_IDS.incrementAndGet();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Orders.insert(connection, orderId);
            extra.write(connection, orderId);
            connection.commit();
            connection.setAutoCommit(true);
        }
    }

    /**
     * The raw limit: the cheapest possible second row, a hand-written insert of 1 KB of pre-serialized bytes into a
     * table with a primary key and nothing else. No library can write a message for less.
     */
    private static void insertRawMessage(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO raw_messages (id, payload) VALUES (?, ?)")) {
            insert.setLong(1, RAW_IDS.incrementAndGet());
            insert.setBytes(2, RAW_PAYLOAD);
            insert.executeUpdate();
        }
    }

    /**
     * The floor of the outbox table's own shape: a hand-written insert of a pre-serialized 1 KB JSON payload, with
     * fixed headers and partition, into a table like the outbox (its columns, indexes, identity and defaults). What
     * publish costs beyond it is Courier's own work: serializing, ids, headers, partition, wake-up.
     */
    private static void insertShapedRow(Connection connection, String orderId) throws SQLException {
        boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO shaped_messages (id, aggregatetype,"
                + " aggregateid, type, payload, headers, partition_no) VALUES (?, ?, ?, ?, ?, "
                + (postgres ? "CAST(? AS jsonb)" : "?") + ", ?)")) {
            if (postgres) {
                insert.setObject(1, UUID.randomUUID());
            } else {
                insert.setString(1, UUID.randomUUID().toString());
            }
            insert.setString(2, "order");
            insert.setString(3, orderId);
            insert.setString(4, "OrderPlaced");
            insert.setBytes(5, SERIALIZED_PAYLOAD);
            insert.setString(6, "{}");
            insert.setInt(7, 3);
            insert.executeUpdate();
        }
    }

    /** About 1 KB of JSON, serialized on every publish as an application would. */
    private static final Map<String, Object> PAYLOAD = Map.of(
            "orderId", "o-123456",
            "customer", "customer-42",
            "amount", 1999,
            "currency", "EUR",
            "note", "x".repeat(940));

    private static final byte[] SERIALIZED_PAYLOAD = PayloadSerializer.json().serialize(PAYLOAD);

    private static void prepare(DataSource dataSource) throws SQLException {
        new OutboxSchema(Database.of(dataSource), "courier_outbox", "courier_inbox").migrate(dataSource);
        Orders.createTable(dataSource);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            String bytes = Database.of(dataSource) == Database.POSTGRESQL ? "BYTEA" : "BLOB";
            statement.execute("CREATE TABLE raw_messages (id BIGINT PRIMARY KEY, payload " + bytes + " NOT NULL)");
            statement.execute(
                    Database.of(dataSource) == Database.POSTGRESQL
                            ? "CREATE TABLE shaped_messages (LIKE courier_outbox INCLUDING ALL)"
                            : "CREATE TABLE shaped_messages LIKE courier_outbox");
        }
    }

    private static String databaseName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            var meta = connection.getMetaData();
            String version = meta.getDatabaseProductVersion();
            return meta.getDatabaseProductName() + " " + version.replaceAll("^(\\d+\\.\\d+).*", "$1");
        }
    }

    private static String row(
            String database, int threads, Variant variant, Spread vsInsertOnly, Spread vsRawSecondRow) {
        Rounds rounds = variant.rounds();
        return format(
                "| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
                database,
                threads,
                variant.transactions,
                variant.name,
                rounds.perSecond().format("%,.0f"),
                rounds.percentileMillis(50).format("%.2f"),
                rounds.percentileMillis(99).format("%.2f"),
                vsInsertOnly.format("%.2f"),
                vsRawSecondRow.format("%.2f"));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private OutboxWriteBench() {}
}
