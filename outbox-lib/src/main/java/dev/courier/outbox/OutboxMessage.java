package dev.courier.outbox;

import java.util.Map;
import java.util.Objects;

/**
 * One message to publish. The column names it ends up in are Debezium's outbox EventRouter names.
 *
 * @param aggregateType the kind of entity that changed, e.g. {@code order}; selects the Kafka topic
 * @param aggregateId the entity's id; the Kafka key, so messages of one aggregate stay in order
 * @param type the event type, e.g. {@code OrderPlaced}
 * @param payload a {@code byte[]} stored unchanged, or any other object, serialized by the outbox's
 *     {@link PayloadSerializer} (JSON by default); may be {@code null}
 * @param headers user headers, travelling as Kafka headers; never {@code null}
 */
public record OutboxMessage(
        String aggregateType, String aggregateId, String type, Object payload, Map<String, String> headers) {

    /** Longest aggregate type, aggregate id or event type the schema stores. */
    public static final int MAX_NAME_LENGTH = 255;

    public OutboxMessage {
        requireName(aggregateType, "aggregateType");
        requireName(aggregateId, "aggregateId");
        requireName(type, "type");
        headers = Map.copyOf(Objects.requireNonNullElse(headers, Map.of()));
        headers.keySet().forEach(name -> {
            if (name.isBlank()) {
                throw new IllegalArgumentException("header names must not be blank");
            }
        });
    }

    public static OutboxMessage of(String aggregateType, String aggregateId, String type, Object payload) {
        return new OutboxMessage(aggregateType, aggregateId, type, payload, Map.of());
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be at most " + MAX_NAME_LENGTH + " characters, was " + value.length());
        }
    }
}
