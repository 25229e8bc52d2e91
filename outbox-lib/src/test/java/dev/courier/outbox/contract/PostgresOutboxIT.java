package dev.courier.outbox.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.spring.SpringTransactions;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class PostgresOutboxIT extends OutboxContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final AtomicInteger CHANNELS = new AtomicInteger();

    Connection listener;
    String channel;
    final List<PGNotification> received = new ArrayList<>();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @BeforeEach
    void listen() throws SQLException {
        // A channel per test: a wake-up sent late by another test's outbox cannot leak in.
        channel = "wake_" + CHANNELS.incrementAndGet();
        listener = DB.connect();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
    }

    @AfterEach
    void stopListening() throws SQLException {
        listener.close();
    }

    @Test
    void springTransactionWakesTheRelayOnceAfterCommit() {
        Outbox spring = springOutbox(channel);
        List<PGNotification> beforeCommit = new ArrayList<>();
        transaction.executeWithoutResult(status -> {
            spring.publish("order", "o-1", "OrderPlaced", "x");
            spring.publish("order", "o-2", "OrderPlaced", "x");
            spring.publishAll(List.of(
                    OutboxMessage.of("order", "o-3", "OrderPlaced", "x"),
                    OutboxMessage.of("order", "o-4", "OrderPlaced", "x")));
            beforeCommit.addAll(notificationsUntilMarker("in-transaction"));
        });

        assertThat(beforeCommit).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !notificationsUntilMarker("after-commit").isEmpty());
        assertThat(received).singleElement().satisfies(notification -> {
            assertThat(notification.getName()).isEqualTo(channel);
            assertThat(notification.getParameter()).isEmpty();
        });
        assertThat(notificationsUntilMarker("nothing-more")).isEmpty();
    }

    @Test
    void rolledBackSpringTransactionWakesNobody() {
        Outbox spring = springOutbox(channel);
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    spring.publish("order", "o-1", "OrderPlaced", "x");
                    throw new IllegalStateException("rollback");
                }))
                .hasMessage("rollback");

        assertThat(notificationsUntilMarker("after-rollback")).isEmpty();
    }

    /**
     * Plain JDBC: the outbox cannot see the caller's commit, so it watches the transaction end and wakes the relay
     * then, from outside the transaction (a NOTIFY inside would serialize all notifying commits).
     */
    @Test
    void plainJdbcTransactionWakesTheRelayOnlyAfterItCommitted() throws SQLException {
        Outbox plain = Outbox.builder(DB.dataSource()).wakeUpChannel(channel).build();
        try (Connection connection = DB.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            plain.on(connection).publish("order", "o-1", "OrderPlaced", "x");
            plain.on(connection).publish("order", "o-2", "OrderPlaced", "x");
            assertThat(notificationsUntilMarker("before-commit")).isEmpty();

            connection.commit();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !notificationsUntilMarker("after-commit").isEmpty());
            assertThat(received).singleElement().satisfies(notification -> {
                assertThat(notification.getName()).isEqualTo(channel);
                assertThat(notification.getParameter()).isEmpty();
            });

            // A rolled-back transaction wakes nobody: after it, only the next commit is heard, once.
            plain.on(connection).publish("order", "o-3", "OrderPlaced", "x");
            connection.rollback();
            plain.on(connection).publish("order", "o-4", "OrderPlaced", "x");
            connection.commit();
            connection.setAutoCommit(true);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            !notificationsUntilMarker("after-second-commit").isEmpty());
            assertThat(received).hasSize(2);
        }
    }

    /** A transaction left open does not hold back the wake-ups of the transactions that commit beside it. */
    @Test
    void aPlainJdbcTransactionLeftOpenDelaysNobodyElsesWakeUp() throws SQLException {
        Outbox plain = Outbox.builder(DB.dataSource()).wakeUpChannel(channel).build();
        try (Connection open = DB.dataSource().getConnection();
                Connection other = DB.dataSource().getConnection()) {
            open.setAutoCommit(false);
            plain.on(open).publish("order", "o-open", "OrderPlaced", "x");
            for (int i = 0; i < 3; i++) {
                int before = received.size();
                other.setAutoCommit(false);
                plain.on(other).publish("order", "o-" + i, "OrderPlaced", "x");
                other.commit();
                await().atMost(Duration.ofSeconds(5))
                        .until(() ->
                                !notificationsUntilMarker("commit-" + before).isEmpty());
            }
            open.rollback();
        }
    }

    @Test
    void wakeUpCanBeSwitchedOff() throws SQLException {
        Outbox silent = Outbox.builder(DB.dataSource())
                .transactions(new SpringTransactions(DB.dataSource(), transactionManager))
                .wakeUpChannel(channel)
                .wakeUp(false)
                .build();
        transaction.executeWithoutResult(status -> silent.publish("order", "o-1", "OrderPlaced", "x"));

        assertThat(notificationsUntilMarker("silent")).isEmpty();
        assertThat(count("courier_outbox")).isEqualTo(1);
    }

    @Test
    void concurrentCommitsAreCoalescedIntoFewerWakeUps() throws Exception {
        Outbox spring = springOutbox(channel);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    String id = thread + "-" + i;
                    transaction.executeWithoutResult(status -> spring.publish("order", id, "OrderPlaced", "x"));
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !notificationsUntilMarker("done").isEmpty());
        assertThat(count("courier_outbox")).isEqualTo(400);
        assertThat(received.size()).isBetween(1, 400);
    }

    Outbox springOutbox(String wakeUpChannel) {
        return Outbox.builder(DB.dataSource())
                .transactions(new SpringTransactions(DB.dataSource(), transactionManager))
                .wakeUpChannel(wakeUpChannel)
                .build();
    }

    /**
     * Sends a marker notification from another, committed transaction and returns what the listener received before
     * it (also appended to {@link #received}). Notifications arrive in commit order, so anything committed before the
     * marker is in the list.
     */
    List<PGNotification> notificationsUntilMarker(String marker) {
        try {
            try (Connection connection = DB.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("NOTIFY " + channel + ", 'marker:" + marker + "'");
            }
            List<PGNotification> before = new ArrayList<>();
            PGConnection pg = listener.unwrap(PGConnection.class);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                PGNotification[] batch = pg.getNotifications(500);
                for (PGNotification notification : batch == null ? new PGNotification[0] : batch) {
                    if (notification.getParameter().equals("marker:" + marker)) {
                        received.addAll(before);
                        return before;
                    }
                    before.add(notification);
                }
            }
            throw new AssertionError("marker " + marker + " never arrived");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
