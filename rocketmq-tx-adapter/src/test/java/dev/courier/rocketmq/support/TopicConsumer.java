package dev.courier.rocketmq.support;

import dev.courier.rocketmq.TransactionalSender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.awaitility.Awaitility;

/** Every message delivered on one topic, from its first offset, by Courier transaction id. */
public final class TopicConsumer implements AutoCloseable {

    private final DefaultMQPushConsumer consumer;
    private final List<MessageExt> received = new CopyOnWriteArrayList<>();
    private final Map<String, MessageExt> byTransaction = new ConcurrentHashMap<>();

    public TopicConsumer(String nameServer, String topic) throws MQClientException {
        consumer = new DefaultMQPushConsumer(
                "test-consumer-" + UUID.randomUUID().toString().substring(0, 8));
        consumer.setNamesrvAddr(nameServer);
        consumer.setInstanceName("test-consumer-" + UUID.randomUUID());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            for (MessageExt message : messages) {
                received.add(message);
                String transactionId = message.getUserProperty(TransactionalSender.TRANSACTION_ID_PROPERTY);
                if (transactionId != null) {
                    byTransaction.put(transactionId, message);
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
    }

    public MessageExt await(String transactionId, Duration timeout) {
        Awaitility.await().atMost(timeout).until(() -> byTransaction.containsKey(transactionId));
        return byTransaction.get(transactionId);
    }

    public boolean received(String transactionId) {
        return byTransaction.containsKey(transactionId);
    }

    /** Whether a message with this key (RocketMQ {@code KEYS}) was delivered. */
    public boolean receivedKey(String key) {
        return received.stream().anyMatch(message -> key.equals(message.getKeys()));
    }

    /** Deliveries of {@code transactionId}, duplicates included. */
    public long deliveries(String transactionId) {
        return received.stream()
                .filter(message ->
                        transactionId.equals(message.getUserProperty(TransactionalSender.TRANSACTION_ID_PROPERTY)))
                .count();
    }

    @Override
    public void close() {
        consumer.shutdown();
    }
}
