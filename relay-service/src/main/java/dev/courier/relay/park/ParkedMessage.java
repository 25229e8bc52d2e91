package dev.courier.relay.park;

import java.time.Instant;

/**
 * A message moved out of the outbox after too many failed attempts ({@code PARKED}, later {@code REPLAYED} or
 * {@code SKIPPED}), or in cdc mode one held behind such a message ({@code HELD}), as operators see it.
 *
 * @param releaseRequest in cdc mode, {@code REPLAY} or {@code SKIP} asked for and not yet carried out by the leader
 */
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
        int payloadBytes,
        String releaseRequest) {}
