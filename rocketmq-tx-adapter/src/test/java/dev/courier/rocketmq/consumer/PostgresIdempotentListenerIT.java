package dev.courier.rocketmq.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import dev.courier.outbox.Database;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.rocketmq.TransactionalMessage;
import dev.courier.rocketmq.TransactionalSendResult;
import dev.courier.rocketmq.TransactionalSender;
import dev.courier.rocketmq.fence.FenceSchema;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A work that fails records nothing and the broker delivers the message again; once processed, further deliveries of
 * the message reach the work no more.
 */
class PostgresIdempotentListenerIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @Test
    void processesEachMessageOnceHoweverOftenItIsDelivered() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        new FenceSchema(Database.POSTGRESQL, "courier_tx_fence").migrate(DB.dataSource());
        try (Connection c = DB.dataSource().getConnection();
                Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE reservations (message_id varchar(64) NOT NULL, body text NOT NULL)");
        }
        String topic = "courier-dedupe-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedRocketMq.createTopic(topic);
        Inbox inbox = Inbox.builder(DB.dataSource()).build();
        AtomicInteger attempts = new AtomicInteger();
        IdempotentMessageListener idempotent =
                new IdempotentMessageListener(inbox, "stock-service", (message, connection) -> {
                    try (PreparedStatement insert =
                            connection.prepareStatement("INSERT INTO reservations (message_id, body) VALUES (?, ?)")) {
                        insert.setString(1, IdempotentMessageListener.messageId(message));
                        insert.setString(2, new String(message.getBody(), StandardCharsets.UTF_8));
                        insert.executeUpdate();
                    }
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("stock service briefly unavailable");
                    }
                });
        List<MessageExt> delivered = new CopyOnWriteArrayList<>();
        List<ConsumeConcurrentlyStatus> answers = new CopyOnWriteArrayList<>();

        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(
                "dedupe-" + UUID.randomUUID().toString().substring(0, 8));
        TransactionalSender sender = TransactionalSender.builder(DB.dataSource())
                .nameServer(EmbeddedRocketMq.nameServer())
                .group("dedupe-" + UUID.randomUUID().toString().substring(0, 8))
                .topics(List.of(topic))
                .build();
        try {
            consumer.setNamesrvAddr(EmbeddedRocketMq.nameServer());
            consumer.setInstanceName("dedupe-" + UUID.randomUUID());
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            // The redelivery comes through the group's retry topic: look its route up within a second, not 30 s.
            consumer.setPollNameServerInterval(1_000);
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
                delivered.addAll(messages);
                context.setDelayLevelWhenNextConsume(1); // redeliver after 1 s instead of the default 10 s
                ConsumeConcurrentlyStatus answer = idempotent.consumeMessage(messages, context);
                answers.add(answer);
                return answer;
            });
            consumer.start();
            sender.start();

            TransactionalSendResult<Void> sent = sender.send(
                    TransactionalMessage.of(topic, "order-1", "reserve 3".getBytes(StandardCharsets.UTF_8)),
                    connection -> null);

            // First delivery: the work fails and is rolled back with its inbox row; the broker delivers it again.
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> answers.contains(ConsumeConcurrentlyStatus.CONSUME_SUCCESS));
            assertThat(answers.getFirst()).isEqualTo(ConsumeConcurrentlyStatus.RECONSUME_LATER);
            assertThat(reservations(sent.transactionId())).isEqualTo(1);

            // A further copy of the message (at-least-once delivery) is acknowledged without running the work.
            MessageExt copy = delivered.getLast();
            assertThat(idempotent.consumeMessage(
                            List.of(copy), new ConsumeConcurrentlyContext(new MessageQueue(topic, "broker", 0))))
                    .isEqualTo(ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(reservations(sent.transactionId())).isEqualTo(1);
        } finally {
            sender.close();
            consumer.shutdown();
        }
    }

    private static long reservations(String messageId) throws SQLException {
        try (Connection c = DB.dataSource().getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT count(*) FROM reservations WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
