package dev.courier.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import dev.courier.outbox.Database;
import dev.courier.rocketmq.fence.FenceStatus;
import dev.courier.rocketmq.fence.FenceStore;
import dev.courier.rocketmq.spring.SpringLocalTransactions;
import dev.courier.rocketmq.support.LostCommitReplies;
import dev.courier.rocketmq.support.Orders;
import dev.courier.rocketmq.support.TopicConsumer;
import dev.courier.testsupport.database.TestDatabaseExtension;
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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

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
        Orders.createTables(DB.dataSource());
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
        // The check waited on the fence row's lock and answered COMMIT; a check that had decided ROLLED_BACK would have
        // made the local commit fail on the fence row.
        assertThat(commitChecks()).isGreaterThan(checksBefore);
        assertThat(fence.find(result.transactionId())).isEqualTo(FenceStatus.COMMITTED);
    }

    @Test
    void aConnectionLostDuringTheCommitGivesUnknownAndTheCheckBackRollsBackWhatDidNotCommit() throws Exception {
        String order = UUID.randomUUID().toString();
        double unknownChecksBefore = checks("unknown");

        TransactionalSendResult<Integer> result = sender.send(
                TransactionalMessage.of(TOPIC, order, "lost".getBytes(StandardCharsets.UTF_8)), connection -> {
                    int inserted = insertOrder(connection, order, 9);
                    terminateBackendOf(connection); // the server side of this connection dies before the commit
                    return inserted;
                });

        assertThat(result.outcome()).isEqualTo(TransactionOutcome.UNKNOWN);
        assertThat(result.value()).isNull();
        await().atMost(Duration.ofSeconds(60)).until(() -> fence.find(result.transactionId()) != null);
        assertThat(fence.find(result.transactionId())).isEqualTo(FenceStatus.ROLLED_BACK);
        assertThat(orderExists(order)).isFalse();
        TransactionalSendResult<Integer> later = sender.send(
                TransactionalMessage.of(TOPIC, "later", "later".getBytes(StandardCharsets.UTF_8)), connection -> 0);
        consumer.await(later.transactionId(), Duration.ofSeconds(30));
        assertThat(consumer.received(result.transactionId())).isFalse();
        assertThat(checks("unknown"))
                .as("the send itself answered UNKNOW, not a check")
                .isEqualTo(unknownChecksBefore);
        assertThat(METERS.get("courier.rocketmq.sends")
                        .tag("outcome", "unknown")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCommitWhoseReplyIsLostGivesUnknownAndTheCheckBackDeliversTheMessage() throws Exception {
        String order = UUID.randomUUID().toString();
        LostCommitReplies faults = new LostCommitReplies(DB.dataSource());
        try (TransactionalSender lossy = TransactionalSender.builder(faults.dataSource())
                .nameServer(EmbeddedRocketMq.nameServer())
                .group("courier-it-lossy-" + UUID.randomUUID().toString().substring(0, 8))
                .topics(List.of(TOPIC))
                .database(Database.POSTGRESQL)
                .fence(fence) // check-backs read the fence on healthy connections
                .build()) {
            lossy.start();
            faults.armNextCommit();

            TransactionalSendResult<Integer> result = lossy.send(
                    TransactionalMessage.of(TOPIC, order, "committed".getBytes(StandardCharsets.UTF_8)),
                    connection -> insertOrder(connection, order, 11));

            assertThat(result.outcome()).isEqualTo(TransactionOutcome.UNKNOWN);
            // The commit did happen: the check-back finds the fence row and the message is delivered.
            consumer.await(result.transactionId(), Duration.ofSeconds(60));
            assertThat(orderExists(order)).isTrue();
            assertThat(fence.find(result.transactionId())).isEqualTo(FenceStatus.COMMITTED);
        }
    }

    @Test
    void aLocalTransactionOfAManagerOfAnotherDataSourceIsRefusedBeforeTheFenceRowIsWritten() throws Exception {
        String order = UUID.randomUUID().toString();
        // The misconfiguration that would auto-commit the fence row: transactions of a DataSource other than the
        // one the fence and the work are written on.
        DataSourceTransactionManager otherDatabase = new DataSourceTransactionManager(new SimpleDriverDataSource(
                new org.postgresql.Driver(),
                DB.database().jdbcUrl(),
                DB.database().user(),
                DB.database().password()));
        try (TransactionalSender misconfigured = TransactionalSender.builder(DB.dataSource())
                .nameServer(EmbeddedRocketMq.nameServer())
                .group("courier-it-other-tm-" + UUID.randomUUID().toString().substring(0, 8))
                .topics(List.of(TOPIC))
                .fence(fence)
                .localTransactions(
                        senderFence -> new SpringLocalTransactions(DB.dataSource(), otherDatabase, senderFence))
                .build()) {
            misconfigured.start();

            assertThatThrownBy(() -> misconfigured.send(
                            TransactionalMessage.of(TOPIC, order, "ghost".getBytes(StandardCharsets.UTF_8)),
                            connection -> insertOrder(connection, order, 5)))
                    .hasStackTraceContaining("does not include this DataSource");
        }
        assertThat(orderExists(order)).isFalse();
        assertThat(consumer.receivedKey(order)).isFalse();
    }

    @Test
    void aTransactionIdOfTheCallersOwnKeysTheFenceRowAndIsFencedOffWhenReused() throws Exception {
        String order = UUID.randomUUID().toString();
        String transactionId = "order-" + order;
        TransactionalSendResult<Integer> first = sender.send(
                TransactionalMessage.of(TOPIC, order, "first".getBytes(StandardCharsets.UTF_8))
                        .withTransactionId(transactionId),
                connection -> insertOrder(connection, order, 1));
        assertThat(first.transactionId()).isEqualTo(transactionId);
        assertThat(first.outcome()).isEqualTo(TransactionOutcome.COMMITTED);
        consumer.await(transactionId, Duration.ofSeconds(30));

        // The same id again: the fence row exists, so the work does not run and the message is rolled back.
        TransactionalSendResult<Integer> again = sender.send(
                TransactionalMessage.of(TOPIC, order, "again".getBytes(StandardCharsets.UTF_8))
                        .withTransactionId(transactionId),
                connection -> insertOrder(connection, order + "-again", 1));
        assertThat(again.outcome()).isEqualTo(TransactionOutcome.ROLLED_BACK);
        assertThat(orderExists(order + "-again")).isFalse();
        assertThat(consumer.deliveries(transactionId)).isEqualTo(1);
        assertThatThrownBy(() -> TransactionalMessage.of(TOPIC, order, new byte[] {1})
                        .withTransactionId("x".repeat(TransactionalMessage.MAX_TRANSACTION_ID_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transactionId");
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
        return checks("commit");
    }

    private static double checks(String answer) {
        var counter =
                METERS.find("courier.rocketmq.checks").tag("answer", answer).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Terminates the server process of {@code connection} from another connection, and waits until it is gone. */
    private static void terminateBackendOf(Connection connection) throws SQLException {
        int pid;
        try (Statement query = connection.createStatement();
                ResultSet row = query.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            pid = row.getInt(1);
        }
        try (Connection other = DB.dataSource().getConnection();
                PreparedStatement terminate = other.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            terminate.setInt(1, pid);
            try (ResultSet row = terminate.executeQuery()) {
                row.next();
                assertThat(row.getBoolean(1))
                        .as("backend " + pid + " terminated")
                        .isTrue();
            }
        }
    }

    private static int insertOrder(Connection connection, String id, int amount) throws SQLException {
        return Orders.insert(connection, id, amount);
    }

    private static boolean orderExists(String id) throws SQLException {
        return Orders.exists(DB.dataSource(), id);
    }
}
