package dev.courier.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.outbox.Database;
import dev.courier.rocketmq.fence.FenceSchema;
import dev.courier.rocketmq.fence.FenceStatus;
import dev.courier.rocketmq.fence.FenceStore;
import dev.courier.rocketmq.support.TopicConsumer;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.rocketmq.EmbeddedRocketMq;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sends against a real RocketMQ name server + broker, local transactions on a real PostgreSQL database. */
class PostgresTransactionalSenderIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String TOPIC = "courier-orders-" + UUID.randomUUID().toString().substring(0, 8);
    static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    static TransactionalSender sender;
    static TopicConsumer consumer;
    static FenceStore fence;

    @BeforeAll
    static void start() throws Exception {
        new FenceSchema(Database.POSTGRESQL, "courier_tx_fence").migrate(DB.dataSource());
        try (Connection c = DB.dataSource().getConnection();
                Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE orders (id varchar(64) PRIMARY KEY, amount int NOT NULL)");
        }
        EmbeddedRocketMq.createTopic(TOPIC);
        fence = new FenceStore(DB.dataSource(), Database.POSTGRESQL, "courier_tx_fence", Duration.ofSeconds(5));
        sender = TransactionalSender.builder(DB.dataSource())
                .nameServer(EmbeddedRocketMq.nameServer())
                .group("courier-it-" + UUID.randomUUID().toString().substring(0, 8))
                .topics(List.of(TOPIC))
                // Longer than the slow local transaction below, so that the check waits for it instead of giving up.
                .checkLockTimeout(Duration.ofSeconds(15))
                .meterRegistry(METERS)
                .build();
        sender.start();
        consumer = new TopicConsumer(EmbeddedRocketMq.nameServer(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (sender != null) {
            sender.close();
        }
    }

    @Test
    void aCommittedLocalTransactionDeliversTheMessageWithItsKeyTagsAndHeaders() throws Exception {
        String order = UUID.randomUUID().toString();
        TransactionalSendResult<Integer> result = sender.send(
                TransactionalMessage.of(TOPIC, order, "{\"amount\":42}".getBytes(StandardCharsets.UTF_8))
                        .withTags("created")
                        .withHeader("tenant", "acme"),
                connection -> insertOrder(connection, order, 42));

        assertThat(result.outcome()).isEqualTo(TransactionOutcome.COMMITTED);
        assertThat(result.value()).isEqualTo(1);
        assertThat(result.messageId()).isNotBlank();
        MessageExt delivered = consumer.await(result.transactionId(), Duration.ofSeconds(30));
        assertThat(new String(delivered.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":42}");
        assertThat(delivered.getKeys()).isEqualTo(order);
        assertThat(delivered.getTags()).isEqualTo("created");
        assertThat(delivered.getUserProperty("tenant")).isEqualTo("acme");
        assertThat(orderExists(order)).isTrue();
        assertThat(fence.find(result.transactionId())).isEqualTo(FenceStatus.COMMITTED);
        assertThat(METERS.get("courier.rocketmq.sends")
                        .tag("outcome", "committed")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anExceptionRollsBackTheWorkAndTheMessageAndReachesTheCaller() throws Exception {
        String order = UUID.randomUUID().toString();
        IllegalStateException refused = new IllegalStateException("credit limit exceeded");

        assertThatThrownBy(() -> sender.send(
                        TransactionalMessage.of(TOPIC, order, "rolled back".getBytes(StandardCharsets.UTF_8)),
                        connection -> {
                            insertOrder(connection, order, 7);
                            throw refused;
                        }))
                .isSameAs(refused);

        // A message committed afterwards arrives; the rolled-back one never does, and its work left nothing behind.
        TransactionalSendResult<Integer> after = sender.send(
                TransactionalMessage.of(TOPIC, "after", "after".getBytes(StandardCharsets.UTF_8)),
                connection -> insertOrder(connection, UUID.randomUUID().toString(), 1));
        consumer.await(after.transactionId(), Duration.ofSeconds(30));
        assertThat(consumer.receivedKey(order)).isFalse();
        assertThat(orderExists(order)).isFalse();
        assertThat(METERS.get("courier.rocketmq.sends")
                        .tag("outcome", "rolled_back")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCheckedExceptionArrivesWrappedAfterTheRollback() throws Exception {
        String order = UUID.randomUUID().toString();
        assertThatThrownBy(() -> sender.send(
                        TransactionalMessage.of(TOPIC, order, "x".getBytes(StandardCharsets.UTF_8)), connection -> {
                            insertOrder(connection, order, 3);
                            throw new IOException("payment service unreachable");
                        }))
                .isInstanceOf(LocalTransactionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(orderExists(order)).isFalse();
    }

    @Test
    void aLocalTransactionSlowerThanTheBrokersTimeoutIsCheckedBackAndCommitted() throws Exception {
        String order = UUID.randomUUID().toString();
        double checksBefore = commitChecks();
        long slowerThanTimeout =
                EmbeddedRocketMq.TRANSACTION_TIMEOUT_MS + 3 * EmbeddedRocketMq.TRANSACTION_CHECK_INTERVAL_MS;

        TransactionalSendResult<Integer> result = sender.send(
                TransactionalMessage.of(TOPIC, order, "slow".getBytes(StandardCharsets.UTF_8)), connection -> {
                    int inserted = insertOrder(connection, order, 5);
                    // The business work itself is slow: the broker's check-back comes while it runs.
                    LockSupport.parkNanos(Duration.ofMillis(slowerThanTimeout).toNanos());
                    return inserted;
                });

        assertThat(result.outcome()).isEqualTo(TransactionOutcome.COMMITTED);
        consumer.await(result.transactionId(), Duration.ofSeconds(30));
        // The check waited on the fence row's lock and answered COMMIT, not UNKNOW or ROLLBACK.
        assertThat(commitChecks()).isGreaterThan(checksBefore);
        assertThat(METERS.find("courier.rocketmq.checks")
                        .tag("answer", "rollback")
                        .counter())
                .isNull();
    }

    @Test
    void sendingToAnInvalidTopicIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> TransactionalMessage.of("no spaces allowed", "k", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid RocketMQ topic name");
        assertThatThrownBy(() -> TransactionalMessage.of(TOPIC, "k", new byte[] {1})
                        .withHeader(TransactionalSender.TRANSACTION_ID_PROPERTY, "forged"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
    }

    private static double commitChecks() {
        var counter =
                METERS.find("courier.rocketmq.checks").tag("answer", "commit").counter();
        return counter == null ? 0 : counter.count();
    }

    private static int insertOrder(Connection connection, String id, int amount) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, amount) VALUES (?, ?)")) {
            insert.setString(1, id);
            insert.setInt(2, amount);
            return insert.executeUpdate();
        }
    }

    private static boolean orderExists(String id) throws SQLException {
        try (Connection c = DB.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT 1 FROM orders WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }
}
