package dev.courier.relay.park;

import java.time.Instant;

/** A message moved out of the outbox after too many failed attempts, as operators see it. */
public record ParkedMessage(
        String id,
        String aggregateType,
        String aggregateId,
        String type,
        int partition,
        long seq,
        Instant createdAt,
        int attempts,
        String error,
        Instant parkedAt,
        String status,
        int payloadBytes) {}
