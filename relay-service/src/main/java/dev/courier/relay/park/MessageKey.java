package dev.courier.relay.park;

import dev.courier.relay.source.OutboxRecord;

/** The key of an outbox message: the messages of one key go out in order, and a parked one holds back the rest. */
public record MessageKey(String aggregateType, String aggregateId) {

    public static MessageKey of(OutboxRecord record) {
        return new MessageKey(record.aggregateType(), record.aggregateId());
    }
}
