package dev.courier.outbox.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.outbox.Database;
import dev.courier.outbox.NoActiveTransactionException;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.PayloadTooLargeException;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.spring.SpringTransactions;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox's behaviour, the same on every database. A subclass per database registers the database extension.
 */
abstract class OutboxContract {

    static final int MAX_PAYLOAD = 4096;

    SimpleMeterRegistry meters;
    DataSourceTransactionManager transactionManager;
    TransactionTemplate transaction;
    Outbox outbox;

    abstract TestDatabaseExtension db();

    DataSource dataSource() {
        return db().dataSource();
    }

    @BeforeEach
    void freshTables() throws SQLException {
        Database database = Database.of(dataSource());
        new OutboxSchema(database, "courier_outbox", "courier_inbox").migrate(dataSource());
        execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY, amount INT NOT NULL)");
        execute("DELETE FROM orders");
        execute("DELETE FROM courier_outbox");
        execute("DELETE FROM courier_inbox");
        meters = new SimpleMeterRegistry();
        transactionManager = new DataSourceTransactionManager(dataSource());
        transaction = new TransactionTemplate(transactionManager);
        outbox = Outbox.builder(dataSource())
                .transactions(new SpringTransactions(dataSource(), transactionManager))
                .maxPayloadBytes(MAX_PAYLOAD)
                .traceHeaders(() -> Map.of(
                        "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                        "tracestate", "vendor=abc"))
                .meterRegistry(meters)
                .build();
    }

    @Test
    void committedTransactionKeepsMessageWithBusinessRow() throws SQLException {
        UUID id = transaction.execute(status -> {
            insertOrder("o-1");
            return outbox.publish("order", "o-1", "OrderPlaced", Map.of("amount", 10), Map.of("tenant", "acme"));
        });

        List<Row> rows = outboxRows();
        assertThat(rows).hasSize(1);
        Row row = rows.getFirst();
        assertThat(row.id()).isEqualTo(id.toString());
        assertThat(row.aggregateType()).isEqualTo("order");
        assertThat(row.aggregateId()).isEqualTo("o-1");
        assertThat(row.type()).isEqualTo("OrderPlaced");
        assertThat(new String(row.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":10}");
        assertThat(row.partition()).isEqualTo(OutboxPartitions.partitionOf("o-1", 32));
        assertThat(headers(row))
                .containsEntry("tenant", "acme")
                .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .containsEntry("tracestate", "vendor=abc");
        assertThat(count("orders")).isEqualTo(1);
    }

    @Test
    void rolledBackTransactionLeavesNoMessage() throws SQLException {
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    insertOrder("o-1");
                    outbox.publish("order", "o-1", "OrderPlaced", "x");
                    throw new IllegalStateException("business rule violated");
                }))
                .hasMessage("business rule violated");

        assertThat(count("courier_outbox")).isZero();
        assertThat(count("orders")).isZero();
    }

    @Test
    void publishingOutsideATransactionFailsAndWritesNothing() throws SQLException {
        assertThatThrownBy(() -> outbox.publish("order", "o-1", "OrderPlaced", "x"))
                .isInstanceOf(NoActiveTransactionException.class)
                .hasMessageContaining("No Spring transaction is active");

        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(true);
            assertThatThrownBy(() -> outbox.on(connection).publish("order", "o-1", "OrderPlaced", "x"))
                    .isInstanceOf(NoActiveTransactionException.class)
                    .hasMessageContaining("auto-commit");
        }
        Outbox plainJdbc = Outbox.builder(dataSource()).build();
        assertThatThrownBy(() -> plainJdbc.publish("order", "o-1", "OrderPlaced", "x"))
                .isInstanceOf(NoActiveTransactionException.class)
                .hasMessageContaining("outbox.on(connection)");
        assertThat(count("courier_outbox")).isZero();
    }

    @Test
    void plainJdbcConnectionCommitsAndRollsBackWithTheCaller() throws SQLException {
        Outbox plainJdbc = Outbox.builder(dataSource()).build();
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            plainJdbc.on(connection).publish("order", "kept", "OrderPlaced", "x");
            connection.commit();
            plainJdbc.on(connection).publish("order", "dropped", "OrderPlaced", "x");
            connection.rollback();
            connection.setAutoCommit(true);
        }
        assertThat(outboxRows()).extracting(Row::aggregateId).containsExactly("kept");
    }

    @Test
    void requiresNewMessageCommitsWithTheInnerTransactionOnly() throws SQLException {
        TransactionTemplate requiresNew = new TransactionTemplate(transactionManager);
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        assertThatThrownBy(() -> transaction.executeWithoutResult(outer -> {
                    outbox.publish("order", "outer", "OrderPlaced", "x");
                    requiresNew.executeWithoutResult(inner -> outbox.publish("order", "inner", "OrderAudited", "x"));
                    throw new IllegalStateException("outer fails");
                }))
                .hasMessage("outer fails");
        assertThat(outboxRows()).extracting(Row::aggregateId).containsExactly("inner");

        execute("DELETE FROM courier_outbox");
        transaction.executeWithoutResult(outer -> {
            outbox.publish("order", "outer", "OrderPlaced", "x");
            try {
                requiresNew.executeWithoutResult(inner -> {
                    outbox.publish("order", "inner", "OrderAudited", "x");
                    throw new IllegalStateException("inner fails");
                });
            } catch (IllegalStateException expected) {
                // the outer transaction goes on
            }
        });
        assertThat(outboxRows()).extracting(Row::aggregateId).containsExactly("outer");
    }

    @Test
    void nestedMessageIsRolledBackWithItsSavepoint() throws SQLException {
        TransactionTemplate nested = new TransactionTemplate(transactionManager);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);

        transaction.executeWithoutResult(outer -> {
            outbox.publish("order", "before", "OrderPlaced", "x");
            try {
                nested.executeWithoutResult(inner -> {
                    outbox.publish("order", "nested", "OrderPlaced", "x");
                    throw new IllegalStateException("nested fails");
                });
            } catch (IllegalStateException expected) {
                // rolled back to the savepoint
            }
            outbox.publish("order", "after", "OrderPlaced", "x");
        });

        assertThat(outboxRows()).extracting(Row::aggregateId).containsExactly("before", "after");
    }

    @Test
    void batchPublishWritesAllMessagesInOneStatement() throws SQLException {
        List<OutboxMessage> messages = IntStream.range(0, 300)
                .mapToObj(i -> OutboxMessage.of("order", "o-" + i, "OrderPlaced", Map.of("n", i)))
                .toList();
        AtomicInteger statements = new AtomicInteger();
        List<UUID> ids;
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            ids = Outbox.builder(dataSource())
                    .build()
                    .on(countingStatements(connection, statements))
                    .publishAll(messages);
            connection.commit();
            connection.setAutoCommit(true);
        }

        assertThat(statements).hasValue(1);
        List<Row> rows = outboxRows();
        assertThat(rows)
                .extracting(Row::id)
                .containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
        assertThat(rows)
                .extracting(Row::aggregateId)
                .containsExactlyElementsOf(
                        messages.stream().map(OutboxMessage::aggregateId).toList());
    }

    @Test
    void largeBatchIsChunkedBelowTheParameterLimits() throws SQLException {
        List<OutboxMessage> messages = IntStream.range(0, 1_201)
                .mapToObj(i -> OutboxMessage.of("order", "o-" + i, "OrderPlaced", new byte[] {(byte) i}))
                .toList();
        List<UUID> ids = transaction.execute(status -> outbox.publishAll(messages));

        assertThat(ids).hasSize(1_201).doesNotHaveDuplicates();
        assertThat(count("courier_outbox")).isEqualTo(1_201);
    }

    @Test
    void payloadBytesAreStoredUnchanged() throws SQLException {
        byte[] payload = new byte[MAX_PAYLOAD];
        new Random(7).nextBytes(payload);
        payload[0] = 0;
        transaction.executeWithoutResult(status -> outbox.publish("blob", "b-1", "Uploaded", payload));

        assertThat(outboxRows().getFirst().payload()).isEqualTo(payload);
    }

    @Test
    void oversizedPayloadFailsInsideTheTransactionNamingLimitAndSize() throws SQLException {
        byte[] payload = new byte[MAX_PAYLOAD + 1];
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    insertOrder("o-1");
                    outbox.publish("order", "o-1", "OrderPlaced", payload);
                }))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining(String.valueOf(MAX_PAYLOAD + 1))
                .hasMessageContaining(String.valueOf(MAX_PAYLOAD))
                .hasMessageContaining("courier.outbox.max-payload-size");

        assertThat(count("orders")).isZero();
        assertThat(count("courier_outbox")).isZero();
    }

    @Test
    void concurrentTransactionsWriteEveryMessageWithDistinctIds() throws Exception {
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String orderId = thread + "-" + i;
                        transaction.executeWithoutResult(status -> {
                            insertOrder(orderId);
                            outbox.publish("order", orderId, "OrderPlaced", Map.of("thread", thread));
                        });
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Row> rows = outboxRows();
        assertThat(rows).hasSize(threads * perThread);
        assertThat(new HashSet<>(rows.stream().map(Row::id).toList())).hasSize(threads * perThread);
        assertThat(count("orders")).isEqualTo(threads * perThread);
    }

    @Test
    void countsWrittenMessagesAndPayloadBytes() {
        transaction.executeWithoutResult(status -> outbox.publishAll(List.of(
                OutboxMessage.of("order", "o-1", "OrderPlaced", new byte[100]),
                OutboxMessage.of("order", "o-2", "OrderPlaced", new byte[300]))));

        assertThat(meters.get("courier.outbox.messages.written")
                        .tag("aggregatetype", "order")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("courier.outbox.payload.bytes").summary().totalAmount())
                .isEqualTo(400);
    }

    // --- helpers

    record Row(
            String id,
            String aggregateType,
            String aggregateId,
            String type,
            byte[] payload,
            String headers,
            int partition) {}

    void insertOrder(String id) {
        new JdbcTemplate(dataSource()).update("INSERT INTO orders (id, amount) VALUES (?, 1)", id);
    }

    List<Row> outboxRows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, aggregatetype, aggregateid, type, payload,"
                        + " headers, partition_no FROM courier_outbox ORDER BY seq")) {
            while (result.next()) {
                rows.add(new Row(
                        result.getString(1),
                        result.getString(2),
                        result.getString(3),
                        result.getString(4),
                        result.getBytes(5),
                        result.getString(6),
                        result.getInt(7)));
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> headers(Row row) {
        return JsonMapper.builder().build().readValue(row.headers(), Map.class);
    }

    long count(String table) throws SQLException {
        return Sql.count(dataSource(), table);
    }

    void execute(String sql) throws SQLException {
        Sql.execute(dataSource(), sql);
    }

    /** A real connection that counts the statements prepared on it (one prepared statement = one round trip). */
    static Connection countingStatements(Connection connection, AtomicInteger statements) {
        return (Connection) Proxy.newProxyInstance(
                OutboxContract.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare")
                            || method.getName().equals("createStatement")) {
                        statements.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
