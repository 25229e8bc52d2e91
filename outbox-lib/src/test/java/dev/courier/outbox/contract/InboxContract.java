package dev.courier.outbox.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxResult;
import dev.courier.outbox.inbox.InboxResult.Outcome;
import dev.courier.outbox.inbox.InboxRetention;
import dev.courier.outbox.inbox.InboxWork;
import dev.courier.outbox.inbox.InboxWorkException;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.spring.SpringTransactions;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The inbox's behaviour, the same on every database. */
abstract class InboxContract {

    SimpleMeterRegistry meters;
    Inbox inbox;
    ExecutorService pool;

    abstract TestDatabaseExtension db();

    /** Counts sessions of this database waiting for a row lock. */
    abstract String lockWaitersQuery();

    DataSource dataSource() {
        return db().dataSource();
    }

    @BeforeEach
    void freshTables() throws SQLException {
        new OutboxSchema(Database.of(dataSource()), "courier_outbox", "courier_inbox").migrate(dataSource());
        execute("CREATE TABLE IF NOT EXISTS applied (message_id VARCHAR(64) PRIMARY KEY, applied_by VARCHAR(64))");
        execute("DELETE FROM applied");
        execute("DELETE FROM courier_inbox");
        meters = new SimpleMeterRegistry();
        inbox = Inbox.builder(dataSource())
                .transactions(new SpringTransactions(dataSource(), new DataSourceTransactionManager(dataSource())))
                .consumer("billing")
                .meterRegistry(meters)
                .build();
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void firstDeliveryRunsTheWorkAndARedeliveryIsSkippedAndCounted() throws SQLException {
        InboxResult<String> first = inbox.receive("m-1", connection -> apply(connection, "m-1", "first"));
        InboxResult<String> second = inbox.receive("m-1", connection -> apply(connection, "m-1", "second"));

        assertThat(first).isEqualTo(InboxResult.processed("first"));
        assertThat(second.isDuplicate()).isTrue();
        assertThat(appliedBy("m-1")).containsExactly("first");
        assertThat(meters.get("courier.inbox.duplicates")
                        .tag("consumer", "billing")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("courier.inbox.processed")
                        .tag("consumer", "billing")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void racingDeliveriesOfOneMessageRunTheWorkExactlyOnce() throws Exception {
        Race race = secondDeliveryBlockedBehindFirst(connection -> apply(connection, "m-1", "first"));

        assertThat(race.first().get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(race.second().get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(appliedBy("m-1")).containsExactly("first");
    }

    @Test
    void aDeliveryWaitingBehindAFailedOneRunsTheWork() throws Exception {
        Race race = secondDeliveryBlockedBehindFirst(connection -> {
            throw new IllegalStateException("consumer crashed");
        });

        assertThatThrownBy(() -> race.first().get(10, TimeUnit.SECONDS)).hasRootCauseMessage("consumer crashed");
        assertThat(race.second().get(10, TimeUnit.SECONDS)).isEqualTo(InboxResult.processed("second"));
        assertThat(appliedBy("m-1")).containsExactly("second");
    }

    record Race(Future<InboxResult<String>> first, Future<InboxResult<String>> second) {}

    /**
     * Delivers m-1 twice: the first delivery holds its uncommitted id until the second is observed blocked on it (not
     * merely not yet started), then finishes with {@code firstWork}; the second applies m-1 as "second".
     */
    Race secondDeliveryBlockedBehindFirst(InboxWork<String> firstWork) throws InterruptedException {
        CountDownLatch firstInWork = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<InboxResult<String>> first = pool.submit(() -> inbox.receive("m-1", connection -> {
            firstInWork.countDown();
            releaseFirst.await();
            return firstWork.process(connection);
        }));
        firstInWork.await();
        Future<InboxResult<String>> second =
                pool.submit(() -> inbox.receive("m-1", connection -> apply(connection, "m-1", "second")));
        await().atMost(Duration.ofSeconds(10)).until(() -> lockWaiters() >= 1);
        releaseFirst.countDown();
        return new Race(first, second);
    }

    @Test
    void manyConsumersRacingOnManyMessagesApplyEachMessageOnce() throws Exception {
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> "m-" + i).toList();
        AtomicInteger processed = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int worker = 0; worker < 8; worker++) {
            String name = "worker-" + worker;
            List<String> order = new ArrayList<>(ids);
            Collections.shuffle(order, new java.util.Random(worker));
            workers.add(pool.submit(() -> {
                for (String id : order) {
                    InboxResult<String> result = inbox.receive(id, connection -> apply(connection, id, name));
                    (result.isDuplicate() ? duplicates : processed).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }

        assertThat(processed).hasValue(100);
        assertThat(duplicates).hasValue(700);
        assertThat(count("applied")).isEqualTo(100);
    }

    @Test
    void consumersDeduplicateIndependently() throws SQLException {
        assertThat(inbox.receive("billing", "m-1", connection -> "billed").outcome())
                .isEqualTo(Outcome.PROCESSED);
        assertThat(inbox.receive("shipping", "m-1", connection -> "shipped").outcome())
                .isEqualTo(Outcome.PROCESSED);
        assertThat(inbox.receive("shipping", "m-1", connection -> "again").outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(count("courier_inbox")).isEqualTo(2);
    }

    @Test
    void failedWorkLeavesTheIdUnrecordedSoARedeliveryRunsIt() throws SQLException {
        assertThatThrownBy(() -> inbox.receive("m-1", connection -> {
                    apply(connection, "m-1", "first");
                    throw new IOException("downstream unavailable");
                }))
                .isInstanceOf(InboxWorkException.class)
                .hasMessageContaining("m-1")
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(count("courier_inbox")).isZero();
        assertThat(count("applied")).isZero();

        assertThat(inbox.receive("m-1", connection -> apply(connection, "m-1", "retry")))
                .isEqualTo(InboxResult.processed("retry"));
    }

    @Test
    void plainJdbcInboxJoinsTheCallersTransaction() throws SQLException {
        Inbox plain = Inbox.builder(dataSource()).build();
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            plain.on(connection).receive("m-1", c -> apply(c, "m-1", "rolled-back"));
            connection.rollback();
            connection.setAutoCommit(true);
        }
        assertThat(count("courier_inbox")).isZero();
        assertThat(plain.receive("m-1", c -> apply(c, "m-1", "own-transaction")).outcome())
                .isEqualTo(Outcome.PROCESSED);
        assertThat(appliedBy("m-1")).containsExactly("own-transaction");
    }

    @Test
    void retentionDeletesOnlyExpiredIds() throws SQLException {
        for (String id : List.of("old-1", "old-2", "new-1")) {
            inbox.receive(id, connection -> null);
        }
        try (Connection connection = dataSource().getConnection();
                PreparedStatement age = connection.prepareStatement(
                        "UPDATE courier_inbox SET received_at = ? WHERE message_id LIKE 'old-%'")) {
            age.setTimestamp(1, java.sql.Timestamp.from(Instant.now().minus(Duration.ofDays(8))));
            age.executeUpdate();
        }
        InboxRetention retention = new InboxRetention(
                inbox, Duration.ofDays(7), Duration.ofHours(1), Clock.fixed(Instant.now(), ZoneOffset.UTC));

        assertThat(retention.runOnce()).isEqualTo(2);
        assertThat(inbox.receive("new-1", connection -> "again").isDuplicate()).isTrue();
        assertThat(inbox.receive("old-1", connection -> "again").isDuplicate()).isFalse();
    }

    @Test
    void rejectsIdsTheSchemaCannotStore() {
        assertThatThrownBy(() -> inbox.receive("x".repeat(256), connection -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageId must be at most 255 characters");
        assertThatThrownBy(() -> inbox.receive(" ", connection -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageId must not be blank");
    }

    // --- helpers

    static String apply(Connection connection, String messageId, String by) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("INSERT INTO applied (message_id, applied_by) VALUES (?, ?)")) {
            statement.setString(1, messageId);
            statement.setString(2, by);
            statement.executeUpdate();
        }
        return by;
    }

    List<String> appliedBy(String messageId) throws SQLException {
        List<String> by = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT applied_by FROM applied WHERE message_id = ?")) {
            statement.setString(1, messageId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    by.add(rows.getString(1));
                }
            }
        }
        return by;
    }

    long lockWaiters() throws SQLException {
        try (Connection connection = db().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(lockWaitersQuery())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    long count(String table) throws SQLException {
        return Sql.count(dataSource(), table);
    }

    void execute(String sql) throws SQLException {
        Sql.execute(dataSource(), sql);
    }
}
