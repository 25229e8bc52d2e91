package dev.courier.relay.park;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A message moved out of the outbox after too many failed attempts ({@code PARKED}, later {@code REPLAYED} or
 * {@code SKIPPED}), or in cdc mode one held behind such a message ({@code HELD}), as operators see it.
 *
 * @param releaseRequest in cdc mode, {@code REPLAY} or {@code SKIP} asked for and not yet carried out by the leader
 * @param payloadPreview the payload's first {@value #PREVIEW_BYTES} bytes as UTF-8 text (bytes that are not UTF-8,
 *     and a character cut at the end, shown as U+FFFD)
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
        String releaseRequest,
        String payloadPreview) {

    /** How much of the payload an operator sees before replaying or skipping it. */
    public static final int PREVIEW_BYTES = 1024;

    /** The first {@link #PREVIEW_BYTES} of {@code payload} as text, never failing on bytes that are not UTF-8. */
    public static String preview(byte[] payload) {
        if (payload == null) {
            return null;
        }
        return new String(payload, 0, Math.min(payload.length, PREVIEW_BYTES), StandardCharsets.UTF_8);
    }
}
