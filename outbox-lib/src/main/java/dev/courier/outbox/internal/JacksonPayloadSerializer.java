package dev.courier.outbox.internal;

import dev.courier.outbox.PayloadSerializer;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/** JSON payloads through Jackson. */
public final class JacksonPayloadSerializer implements PayloadSerializer {

    private final JsonMapper mapper;

    public JacksonPayloadSerializer(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public byte[] serialize(Object payload) {
        return mapper.writeValueAsBytes(payload);
    }
}
