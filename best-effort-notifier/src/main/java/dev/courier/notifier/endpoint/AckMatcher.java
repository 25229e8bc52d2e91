package dev.courier.notifier.endpoint;

import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a receiver's answer must look like for a notification to count as delivered. */
public enum AckMatcher {
    /** Any 2xx status (Standard Webhooks, Stripe, Svix). */
    ANY_2XX("any-2xx"),
    /** A 2xx status and the body {@code success}, any case, surrounding whitespace ignored. */
    BODY_SUCCESS("body-success"),
    /**
     * A 2xx status and exactly the seven characters {@code success}, nothing around them (Alipay's asynchronous
     * notifications: anything else is a failure Alipay retries).
     */
    EXACT_BODY_SUCCESS("exact-body-success"),
    /** A 2xx status and a JSON body whose {@code code} is {@code SUCCESS} (WeChat Pay's callback answer). */
    JSON_CODE_SUCCESS("json-code-success"),
    /** Status 200 or 204, any body or none (WeChat Pay API v3: "接收成功：HTTP应答状态码需返回200或204，无需返回应答报文"). */
    STATUS_200_204("status-200-204"),
    /** A 2xx status and an XML body whose {@code return_code} is {@code SUCCESS} (WeChat Pay API v2). */
    XML_RETURN_CODE_SUCCESS("xml-return-code-success"),
    /**
     * A 2xx status and a JSON body whose {@code result.resultStatus} is {@code S} and {@code result.resultCode} is
     * {@code SUCCESS} (Antom's notifications: the fixed {@code result} that acknowledges receipt).
     */
    JSON_RESULT_SUCCESS("json-result-success");

    /**
     * The {@code return_code} element of a WeChat Pay v2 answer, with or without CDATA. Read with a pattern, never an
     * XML parser: a receiver's answer cannot reach entity expansion or external entities this way.
     */
    private static final Pattern RETURN_CODE_SUCCESS =
            Pattern.compile("<return_code>\\s*(?:<!\\[CDATA\\[\\s*SUCCESS\\s*]]>|SUCCESS)\\s*</return_code>");

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
                "unknown acknowledgement matcher '" + spec + "': use any-2xx, body-success, exact-body-success,"
                        + " json-code-success, status-200-204, xml-return-code-success or json-result-success");
    }

    /** Whether a response with {@code status} and {@code body} (possibly truncated, never null) acknowledges. */
    public boolean acknowledges(int status, String body) {
        if (status < 200 || status > 299) {
            return false;
        }
        return switch (this) {
            case ANY_2XX -> true;
            case BODY_SUCCESS -> body.strip().equalsIgnoreCase("success");
            case EXACT_BODY_SUCCESS -> body.equals("success");
            case JSON_CODE_SUCCESS -> jsonCodeIsSuccess(body);
            case STATUS_200_204 -> status == 200 || status == 204;
            case XML_RETURN_CODE_SUCCESS -> RETURN_CODE_SUCCESS.matcher(body).find();
            case JSON_RESULT_SUCCESS -> jsonResultIsSuccess(body);
        };
    }

    private static boolean jsonResultIsSuccess(String body) {
        try {
            JsonNode result = JSON.readTree(body).path("result");
            return result.path("resultStatus").isString()
                    && result.path("resultStatus").asString().equals("S")
                    && result.path("resultCode").isString()
                    && result.path("resultCode").asString().equals("SUCCESS");
        } catch (RuntimeException e) {
            return false;
        }
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
