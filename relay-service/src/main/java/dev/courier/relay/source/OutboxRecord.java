package dev.courier.relay.source;

import java.time.Instant;

/**
 * One outbox row as fetched for publishing.
 *
 * @param headersJson the user's headers as stored: a JSON object of strings
 * @param attempts failed publish attempts recorded so far
 */
public record OutboxRecord(
        String id,
        String aggregateType,
        String aggregateId,
        String type,
        byte[] payload,
        String headersJson,
        int partition,
        long seq,
        Instant createdAt,
        int attempts) {}
