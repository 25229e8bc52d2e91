package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.StorableText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks every intake applies to what it accepts (a notification for one endpoint, a message for an
 * application): each adds a problem naming its field to a list, so that a request hears of all its problems at once.
 */
public final class SubmissionChecks {

    public static final int MAX_KEY_LENGTH = 255;
    public static final int MAX_EVENT_TYPE_LENGTH = 255;
    /** The {@code source} column: {@code api}, or {@code kafka:} and a topic name of up to 249 characters. */
    public static final int MAX_SOURCE_LENGTH = 256;

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9._:/-]+");
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    /** W3C tracestate: list members of printable ASCII, at most 512 characters in all. */
    private static final Pattern TRACESTATE = Pattern.compile("[\\x20-\\x7e]{1,512}");

    private SubmissionChecks() {}

    public static void source(String source, List<String> errors) {
        if (source == null || source.length() > MAX_SOURCE_LENGTH || !StorableText.isStorable(source)) {
            errors.add("source: at most " + MAX_SOURCE_LENGTH + " characters");
        }
    }

    public static void idempotencyKey(String key, List<String> errors) {
        if (key == null
                || key.isBlank()
                || key.length() > MAX_KEY_LENGTH
                || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || !StorableText.isStorable(key)) {
            errors.add("Idempotency-Key: required, 1 to " + MAX_KEY_LENGTH + " characters without control characters");
        }
    }

    /** An ordering key is optional; when present, 1 to 255 characters without control characters. */
    public static void orderingKey(String key, List<String> errors) {
        if (key != null
                && (key.isEmpty()
                        || key.length() > MAX_KEY_LENGTH
                        || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                        || !StorableText.isStorable(key))) {
            errors.add("orderingKey: 1 to " + MAX_KEY_LENGTH + " characters without control characters");
        }
    }

    public static void eventType(String eventType, List<String> errors) {
        if (eventType == null
                || eventType.length() > MAX_EVENT_TYPE_LENGTH
                || !EVENT_TYPE.matcher(eventType).matches()) {
            errors.add("eventType: required, 1 to " + MAX_EVENT_TYPE_LENGTH
                    + " characters of letters, digits and . _ : / -");
        }
    }

    public static void body(String body, long maxBodyBytes, List<String> errors) {
        if (body == null) {
            errors.add("payload: required (any JSON value)");
        } else if (!StorableText.isStorable(body)) {
            errors.add("payload: contains an unpaired UTF-16 surrogate (not valid Unicode text)");
        } else if (body.getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
            errors.add("payload: larger than " + maxBodyBytes + " bytes (courier.notifier.max-body-size)");
        }
    }

    /**
     * The parameters of a listing: a page of 1 to 1000, an event type filter the database can compare (it need not be
     * a valid type: it only finds nothing).
     *
     * @throws InvalidInputException naming the parameter
     */
    public static void listing(int limit, String eventTypeFilter) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        if (eventTypeFilter != null
                && (eventTypeFilter.length() > MAX_EVENT_TYPE_LENGTH || !StorableText.isStorable(eventTypeFilter))) {
            throw new InvalidInputException(
                    "eventType: at most " + MAX_EVENT_TYPE_LENGTH + " characters, without NUL or unpaired surrogates");
        }
    }

    /** The caller's W3C trace context when it is valid, else null: an invalid one is dropped, not refused. */
    public static String traceparent(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
    }

    /**
     * The W3C vendor trace data, kept only beside a valid {@code traceparent} and dropped, not refused, when longer
     * than 512 characters or not printable ASCII.
     */
    public static String tracestate(String validTraceparent, String tracestate) {
        return validTraceparent != null
                        && tracestate != null
                        && TRACESTATE.matcher(tracestate).matches()
                ? tracestate
                : null;
    }
}
