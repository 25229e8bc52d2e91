package dev.courier.outbox.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.spring.SpringTransactions;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class PostgresOutboxIT extends OutboxContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    Connection listener;

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @BeforeEach
    void listen() throws SQLException {
        listener = DB.connect();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN courier_outbox");
        }
    }

    @AfterEach
    void stopListening() throws SQLException {
        listener.close();
    }

    @Test
    void wakesTheRelayOncePerCommittedTransactionAndOnlyAfterCommit() throws SQLException {
        List<PGNotification> beforeCommit = new ArrayList<>();
        transaction.executeWithoutResult(status -> {
            outbox.publish("order", "o-1", "OrderPlaced", "x");
            outbox.publish("order", "o-2", "OrderPlaced", "x");
            outbox.publishAll(List.of(
                    OutboxMessage.of("order", "o-3", "OrderPlaced", "x"),
                    OutboxMessage.of("order", "o-4", "OrderPlaced", "x")));
            beforeCommit.addAll(notificationsUntilMarker("in-transaction"));
        });

        assertThat(beforeCommit).isEmpty();
        assertThat(notificationsUntilMarker("after-commit")).singleElement().satisfies(notification -> {
            assertThat(notification.getName()).isEqualTo("courier_outbox");
            assertThat(notification.getParameter()).isEmpty();
        });
    }

    @Test
    void rolledBackTransactionWakesNobody() throws SQLException {
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    outbox.publish("order", "o-1", "OrderPlaced", "x");
                    throw new IllegalStateException("rollback");
                }))
                .hasMessage("rollback");

        assertThat(notificationsUntilMarker("after-rollback")).isEmpty();
    }

    @Test
    void wakeUpCanBeSwitchedOffOrMovedToAnotherChannel() throws SQLException {
        Outbox silent = Outbox.builder(DB.dataSource())
                .transactions(new SpringTransactions(DB.dataSource(), transactionManager))
                .wakeUp(false)
                .build();
        transaction.executeWithoutResult(status -> silent.publish("order", "o-1", "OrderPlaced", "x"));
        assertThat(notificationsUntilMarker("silent")).isEmpty();

        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN orders_wake");
        }
        Outbox custom = Outbox.builder(DB.dataSource())
                .transactions(new SpringTransactions(DB.dataSource(), transactionManager))
                .wakeUpChannel("orders_wake")
                .build();
        transaction.executeWithoutResult(status -> custom.publish("order", "o-2", "OrderPlaced", "x"));
        assertThat(notificationsUntilMarker("custom"))
                .extracting(PGNotification::getName)
                .containsExactly("orders_wake");
        assertThat(count("courier_outbox")).isEqualTo(2);
    }

    /**
     * Sends a marker notification from another, committed transaction and returns what the listener received before
     * it. Notifications arrive in commit order, so anything committed before the marker is in the list.
     */
    List<PGNotification> notificationsUntilMarker(String marker) {
        try {
            try (Connection connection = DB.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("NOTIFY courier_outbox, 'marker:" + marker + "'");
            }
            List<PGNotification> received = new ArrayList<>();
            PGConnection pg = listener.unwrap(PGConnection.class);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                PGNotification[] batch = pg.getNotifications(500);
                for (PGNotification notification : batch == null ? new PGNotification[0] : batch) {
                    if (notification.getParameter().equals("marker:" + marker)) {
                        return received;
                    }
                    received.add(notification);
                }
            }
            throw new AssertionError("marker " + marker + " never arrived");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
