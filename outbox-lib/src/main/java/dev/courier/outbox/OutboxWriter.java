package dev.courier.outbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes outbox messages into the caller's transaction. A message row commits or rolls back with the business rows
 * written in the same transaction; nothing is ever auto-committed.
 */
public interface OutboxWriter {

    /**
     * Writes one message.
     *
     * @return the message id (a time-ordered UUID, version 7), which consumers use to de-duplicate
     * @throws NoActiveTransactionException when no transaction is active
     * @throws PayloadTooLargeException when the serialized payload exceeds the limit
     * @throws OutboxStorageException when the database rejects the row
     */
    UUID publish(OutboxMessage message);

    /**
     * Writes many messages in one round trip (chunked past the driver's parameter limit).
     *
     * @return the message ids, in the order of {@code messages}
     */
    List<UUID> publishAll(List<OutboxMessage> messages);

    default UUID publish(String aggregateType, String aggregateId, String type, Object payload) {
        return publish(OutboxMessage.of(aggregateType, aggregateId, type, payload));
    }

    default UUID publish(
            String aggregateType, String aggregateId, String type, Object payload, Map<String, String> headers) {
        return publish(new OutboxMessage(aggregateType, aggregateId, type, payload, headers));
    }
}
