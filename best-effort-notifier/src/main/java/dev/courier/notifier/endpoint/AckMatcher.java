package dev.courier.notifier.endpoint;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a receiver's answer must look like for a notification to count as delivered. */
public enum AckMatcher {
    /** Any 2xx status (Standard Webhooks, Stripe, Svix). */
    ANY_2XX("any-2xx"),
    /** A 2xx status and the body {@code success} (Alipay's asynchronous notifications). */
    BODY_SUCCESS("body-success"),
    /** A 2xx status and a JSON body whose {@code code} is {@code SUCCESS} (WeChat Pay's callback answer). */
    JSON_CODE_SUCCESS("json-code-success");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String spec;

    AckMatcher(String spec) {
        this.spec = spec;
    }

    public String spec() {
        return spec;
    }

    /**
     * @throws IllegalArgumentException listing the known matchers
     */
    public static AckMatcher parse(String spec) {
        if (spec != null) {
            String normalized = spec.trim().toLowerCase(Locale.ROOT);
            for (AckMatcher matcher : values()) {
                if (matcher.spec.equals(normalized)) {
                    return matcher;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown acknowledgement matcher '" + spec + "': use any-2xx, body-success or json-code-success");
    }

    /** Whether a response with {@code status} and {@code body} (possibly truncated, never null) acknowledges. */
    public boolean acknowledges(int status, String body) {
        if (status < 200 || status > 299) {
            return false;
        }
        return switch (this) {
            case ANY_2XX -> true;
            case BODY_SUCCESS -> body.strip().equalsIgnoreCase("success");
            case JSON_CODE_SUCCESS -> jsonCodeIsSuccess(body);
        };
    }

    private static boolean jsonCodeIsSuccess(String body) {
        try {
            JsonNode code = JSON.readTree(body).path("code");
            return code.isString() && code.asString().equals("SUCCESS");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
