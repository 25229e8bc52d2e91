package dev.courier.relay.retention;

import java.time.Instant;

/** A published message kept for the retention period, as the admin API lists it (without its payload). */
public record PublishedMessage(
        String id,
        String aggregateType,
        String aggregateId,
        String type,
        int partition,
        long seq,
        Instant createdAt,
        Instant publishedAt,
        long leaseEpoch) {}
