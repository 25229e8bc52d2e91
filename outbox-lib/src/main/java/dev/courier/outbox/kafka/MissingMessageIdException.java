package dev.courier.outbox.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record without a usable message id: it cannot be deduplicated, and consuming it again cannot change that. A
 * spring-kafka error handler should not retry it ({@code DefaultErrorHandler.addNotRetryableExceptions}).
 */
public final class MissingMessageIdException extends IllegalArgumentException {

    private final String topic;
    private final int partition;
    private final long offset;

    MissingMessageIdException(ConsumerRecord<?, ?> record, String header, String problem) {
        super("Record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " " + problem
                + "; it cannot be received through the inbox");
        this.topic = record.topic();
        this.partition = record.partition();
        this.offset = record.offset();
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
