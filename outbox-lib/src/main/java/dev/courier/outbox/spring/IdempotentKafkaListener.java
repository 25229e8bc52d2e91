package dev.courier.outbox.spring;

import dev.courier.outbox.kafka.KafkaInbox;
import java.sql.Connection;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/**
 * A spring-kafka record listener that runs each record's work at most once per consumer, in one database
 * transaction with the inbox entry ({@link KafkaInbox}). A failed work records nothing and throws, so the container's
 * error handler retries the record (records before it in the batch are then skipped as duplicates).
 *
 * <pre>{@code
 * ContainerProperties container = new ContainerProperties("outbox.event.payment");
 * container.setMessageListener(new IdempotentKafkaListener<String, byte[]>(kafkaInbox,
 *         (record, connection) -> applyPayment(connection, record.value())));
 * }</pre>
 */
public final class IdempotentKafkaListener<K, V> implements MessageListener<K, V> {

    /** The work of one record, on the connection of the inbox's transaction. */
    @FunctionalInterface
    public interface RecordWork<K, V> {
        void process(ConsumerRecord<K, V> record, Connection connection) throws Exception;
    }

    private final KafkaInbox inbox;
    private final RecordWork<K, V> work;

    public IdempotentKafkaListener(KafkaInbox inbox, RecordWork<K, V> work) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.work = Objects.requireNonNull(work, "work");
    }

    @Override
    public void onMessage(ConsumerRecord<K, V> record) {
        inbox.receive(record, connection -> {
            work.process(record, connection);
            return null;
        });
    }
}
