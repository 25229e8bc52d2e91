package dev.courier.bench;

import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
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
                .append(
                        "| database | threads | transactions | variant | tx/s | p50 ms | p99 ms | p50 vs insert only |\n")
                .append("|---|---:|---|---|---:|---:|---:|---:|\n");
        for (DatabaseKind kind : kinds) {
            try (TestDatabase db = TestDatabase.create(kind, "bench")) {
                prepare(db.dataSource());
                DataSource dataSource = db.dataSource();
                DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
                TransactionTemplate spring = new TransactionTemplate(manager);
                Outbox springOutbox = Outbox.builder(dataSource)
                        .transactions(new SpringTransactions(dataSource, manager))
                        .build();
                Outbox jdbcOutbox = Outbox.builder(dataSource).build();
                List<Variant> variants = List.of(
                        new Variant("Spring", "insert only", () -> springTransaction(spring, dataSource, NONE)),
                        new Variant(
                                "Spring",
                                "insert + raw 1 KB insert (limit)",
                                () -> springTransaction(spring, dataSource, OutboxWriteBench::insertRawMessage)),
                        new Variant(
                                "Spring",
                                "insert + publish",
                                () -> springTransaction(
                                        spring,
                                        dataSource,
                                        (connection, orderId) ->
                                                springOutbox.publish("order", orderId, "OrderPlaced", PAYLOAD))),
                        new Variant("plain JDBC", "insert only", () -> jdbcTransaction(dataSource, NONE)),
                        new Variant(
                                "plain JDBC",
                                "insert + raw 1 KB insert (limit)",
                                () -> jdbcTransaction(dataSource, OutboxWriteBench::insertRawMessage)),
                        new Variant(
                                "plain JDBC",
                                "insert + publish",
                                () -> jdbcTransaction(
                                        dataSource,
                                        (connection, orderId) -> jdbcOutbox
                                                .on(connection)
                                                .publish("order", orderId, "OrderPlaced", PAYLOAD))));
                String name = databaseName(dataSource);
                for (int threads : THREADS) {
                    Duration round = cell.dividedBy(ROUNDS);
                    for (Variant variant : variants) {
                        run(variant, threads, round.dividedBy(4), new LatencyRecorder()); // warm-up
                    }
                    for (int r = 0; r < ROUNDS; r++) {
                        for (Variant variant : variants) {
                            run(variant, threads, round, variant.latencies());
                        }
                    }
                    for (int i = 0; i < variants.size(); i += 3) {
                        Variant baseline = variants.get(i);
                        double baseP50 = baseline.latencies().percentileMillis(50);
                        for (Variant variant : variants.subList(i, i + 3)) {
                            double ratio = variant.latencies().percentileMillis(50) / baseP50;
                            report.append(row(name, threads, variant, format("%.2f", ratio)));
                        }
                    }
                    variants.forEach(Variant::reset);
                    System.err.printf("%s, %d thread(s): done%n", name, threads);
                }
            }
        }
        BenchResults.publish("outbox-write.md", report);
    }

    /** One benchmarked business transaction, with its latencies. */
    private static final class Variant {
        final String transactions;
        final String name;
        final BusinessTransaction transaction;
        private LatencyRecorder latencies = new LatencyRecorder();

        Variant(String transactions, String name, BusinessTransaction transaction) {
            this.transactions = transactions;
            this.name = name;
            this.transaction = transaction;
        }

        LatencyRecorder latencies() {
            return latencies;
        }

        void reset() {
            latencies = new LatencyRecorder();
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

    /** About 1 KB of JSON, serialized on every publish as an application would. */
    private static final Map<String, Object> PAYLOAD = Map.of(
            "orderId", "o-123456",
            "customer", "customer-42",
            "amount", 1999,
            "currency", "EUR",
            "note", "x".repeat(940));

    private static void prepare(DataSource dataSource) throws SQLException {
        new OutboxSchema(Database.of(dataSource), "courier_outbox", "courier_inbox").migrate(dataSource);
        Orders.createTable(dataSource);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            String bytes = Database.of(dataSource) == Database.POSTGRESQL ? "BYTEA" : "BLOB";
            statement.execute("CREATE TABLE raw_messages (id BIGINT PRIMARY KEY, payload " + bytes + " NOT NULL)");
        }
    }

    private static String databaseName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            var meta = connection.getMetaData();
            String version = meta.getDatabaseProductVersion();
            return meta.getDatabaseProductName() + " " + version.replaceAll("^(\\d+\\.\\d+).*", "$1");
        }
    }

    private static String row(String database, int threads, Variant variant, String ratio) {
        LatencyRecorder latencies = variant.latencies();
        return format(
                "| %s | %d | %s | %s | %,.0f | %.2f | %.2f | %s |%n",
                database,
                threads,
                variant.transactions,
                variant.name,
                latencies.perSecond(),
                latencies.percentileMillis(50),
                latencies.percentileMillis(99),
                ratio);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private OutboxWriteBench() {}
}
