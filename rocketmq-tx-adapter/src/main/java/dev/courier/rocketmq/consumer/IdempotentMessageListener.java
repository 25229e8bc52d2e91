package dev.courier.rocketmq.consumer;

import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxResult;
import dev.courier.rocketmq.TransactionalSender;
import java.util.List;
import java.util.Objects;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RocketMQ listener that processes each message at most once per consumer, however often the broker delivers it:
 * the message's id is recorded in outbox-lib's inbox in the same database transaction as the work. A failed work
 * records nothing and asks the broker to deliver the message again later.
 *
 * <p>The id is Courier's transaction id for messages of a {@link TransactionalSender} (one per local transaction, the
 * same in every copy of the message), and otherwise the client-generated unique id RocketMQ keeps across redeliveries.
 *
 * <pre>{@code
 * consumer.registerMessageListener(new IdempotentMessageListener(inbox, "stock-service", (message, connection) ->
 *         reserveStock(connection, message.getBody())));
 * }</pre>
 */
public final class IdempotentMessageListener implements MessageListenerConcurrently {

    private static final Logger log = LoggerFactory.getLogger(IdempotentMessageListener.class);

    private final Inbox inbox;
    private final String consumer;
    private final MessageWork work;

    /** @param consumer the inbox's consumer name: each consumer of a message processes it once */
    public IdempotentMessageListener(Inbox inbox, String consumer, MessageWork work) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.work = Objects.requireNonNull(work, "work");
    }

    /** The id a message is deduplicated by. */
    public static String messageId(MessageExt message) {
        String transactionId = message.getUserProperty(TransactionalSender.TRANSACTION_ID_PROPERTY);
        if (transactionId != null) {
            return transactionId;
        }
        String unique = MessageClientIDSetter.getUniqID(message);
        return unique != null ? unique : message.getMsgId();
    }

    @Override
    public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> messages, ConsumeConcurrentlyContext context) {
        for (MessageExt message : messages) {
            try {
                InboxResult<Void> result = inbox.receive(consumer, messageId(message), connection -> {
                    work.process(message, connection);
                    return null;
                });
                if (result.isDuplicate()) {
                    log.debug("Skipped duplicate {} on {}", messageId(message), message.getTopic());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "Processing {} on {} failed (delivery {}); it is delivered again later: {}",
                        messageId(message),
                        message.getTopic(),
                        message.getReconsumeTimes() + 1,
                        e.toString());
                // The whole batch comes again; the messages processed before this one are skipped as duplicates.
                return ConsumeConcurrentlyStatus.RECONSUME_LATER;
            }
        }
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    }
}
