package dev.courier.outbox.internal;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/** Headers are stored as a JSON object of strings; sorted, so equal maps give equal text. */
final class HeadersCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private HeadersCodec() {}

    static String encode(Map<String, String> headers) {
        return headers.isEmpty() ? "{}" : MAPPER.writeValueAsString(new TreeMap<>(headers));
    }
}
