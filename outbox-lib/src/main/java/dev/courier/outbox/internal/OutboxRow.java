package dev.courier.outbox.internal;

import java.util.UUID;

/** A message as it is stored: payload serialized, headers encoded, partition computed. */
record OutboxRow(
        UUID id,
        String aggregateType,
        String aggregateId,
        String type,
        byte[] payload,
        String headersJson,
        int partition) {}
