package dev.courier.notifier.endpoint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Rules for the headers users add to deliveries: no header the notifier sets itself or the transport owns. */
public final class UserHeaders {

    public static final int MAX_HEADERS = 20;
    public static final int MAX_VALUE_LENGTH = 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    private static final Set<String> RESERVED = Set.of(
            "host",
            "content-length",
            "content-type",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "upgrade",
            "te",
            "trailer",
            "proxy-authorization",
            "traceparent",
            "tracestate",
            "user-agent");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    /** Parts of a header name that mark it as a credential: its value is write-only, like a signing secret. */
    private static final List<String> CREDENTIAL_PARTS =
            List.of("authorization", "auth", "token", "key", "secret", "password", "cookie", "credential", "session");

    private UserHeaders() {}

    /** Whether the header carries a credential ({@code Authorization}, or a name containing token, key, secret, ...). */
    public static boolean isCredential(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_PARTS.stream().anyMatch(lower::contains);
    }

    /** Headers as stored in a {@code jsonb} column. */
    public static String toJson(Map<String, String> headers) {
        return JSON.writeValueAsString(headers);
    }

    /** Headers read back from a {@code jsonb} column. */
    public static Map<String, String> fromJson(String json) {
        return JSON.readValue(json, MAP);
    }

    /** Adds to {@code errors} what is wrong with {@code headers}, naming {@code field}. */
    public static void validate(Map<String, String> headers, String field, List<String> errors) {
        if (headers == null) {
            return;
        }
        if (headers.size() > MAX_HEADERS) {
            errors.add(field + ": at most " + MAX_HEADERS + " headers");
        }
        headers.forEach((name, value) -> {
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (name == null || !NAME.matcher(name).matches()) {
                errors.add(field + ": '" + name + "' is not a valid header name");
            } else if (RESERVED.contains(lower) || lower.startsWith("webhook-")) {
                errors.add(field + ": '" + name + "' is set by the notifier and cannot be overridden");
            }
            if (value == null
                    || value.length() > MAX_VALUE_LENGTH
                    || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f || c > 0xff)) {
                errors.add(field + ": the value of '" + name + "' must be at most " + MAX_VALUE_LENGTH
                        + " characters of ISO-8859-1 text without control characters");
            }
        });
    }
}
