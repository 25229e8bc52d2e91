package dev.courier.outbox;

import dev.courier.outbox.internal.JacksonPayloadSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a payload object into the bytes stored in the outbox and delivered to consumers unchanged. A {@code byte[]}
 * payload never reaches the serializer: it is stored as it is.
 */
@FunctionalInterface
public interface PayloadSerializer {

    /**
     * Serializes {@code payload}.
     *
     * @param payload never {@code null} and never a {@code byte[]}
     * @return the bytes to store; never {@code null}
     * @throws RuntimeException when the payload cannot be serialized; the caller's transaction then rolls back
     */
    byte[] serialize(Object payload);

    /** JSON with a default Jackson mapper. */
    static PayloadSerializer json() {
        return new JacksonPayloadSerializer(JsonMapper.builder().build());
    }

    /** JSON with the application's own Jackson mapper. */
    static PayloadSerializer json(JsonMapper mapper) {
        return new JacksonPayloadSerializer(mapper);
    }
}
