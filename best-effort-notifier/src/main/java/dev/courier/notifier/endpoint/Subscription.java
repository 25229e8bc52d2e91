package dev.courier.notifier.endpoint;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What messages of its application an endpoint receives: their event types, and their channels.
 *
 * <ul>
 *   <li>{@code eventTypes}: exact names ({@code payment.succeeded}), prefix wildcards ({@code payment.*}: every type
 *       that starts with {@code payment.}, at any depth) or {@code *}; empty: every type.
 *   <li>{@code channels}: a message reaches the endpoint only when it names at least one of them; empty: messages of
 *       any channel or none.
 * </ul>
 *
 * Matching is exact and case-sensitive, as event types are.
 *
 * @param eventTypes the patterns, empty for all
 * @param channels the channels, empty for any
 */
public record Subscription(List<String> eventTypes, List<String> channels) {

    public static final Subscription ALL = new Subscription(List.of(), List.of());
    public static final int MAX_EVENT_TYPES = 100;
    public static final int MAX_CHANNELS = 10;
    public static final int MAX_CHANNEL_LENGTH = 128;
    /** Event type characters, as {@code notification.Intake} accepts them. */
    static final String TYPE_CHARACTERS = "[A-Za-z0-9._:/-]";

    private static final Pattern TYPE_PATTERN =
            Pattern.compile("\\*|" + TYPE_CHARACTERS + "{1,253}\\.\\*|" + TYPE_CHARACTERS + "{1,255}");
    public static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_CHANNEL_LENGTH + "}");

    public Subscription {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** Whether a message of {@code eventType} in {@code messageChannels} reaches this subscription. */
    public boolean matches(String eventType, Collection<String> messageChannels) {
        return typeMatches(eventType)
                && (channels.isEmpty() || messageChannels.stream().anyMatch(channels::contains));
    }

    private boolean typeMatches(String eventType) {
        if (eventTypes.isEmpty()) {
            return true;
        }
        for (String pattern : eventTypes) {
            if (pattern.equals("*") || pattern.equals(eventType)) {
                return true;
            }
            if (pattern.endsWith(".*")
                    && eventType.length() > pattern.length() - 1
                    && eventType.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code pattern} is an event type pattern: an exact type, a prefix wildcard like {@code payment.*}, or *. */
    public static boolean isPattern(String pattern) {
        return pattern != null && TYPE_PATTERN.matcher(pattern).matches();
    }

    /**
     * How closely {@code pattern} describes {@code eventType}: -1 when it does not; an exact name beats any wildcard,
     * a longer prefix beats a shorter one, and {@code *} matches least.
     */
    public static int specificity(String pattern, String eventType) {
        if (pattern.equals(eventType)) {
            return Integer.MAX_VALUE;
        }
        if (pattern.equals("*")) {
            return 0;
        }
        return new Subscription(List.of(pattern), List.of()).typeMatches(eventType) ? pattern.length() : -1;
    }

    /**
     * Checks requested patterns and channels, adding a problem per bad one to {@code errors} (field names {@code
     * eventTypes} and {@code channels}).
     */
    static void validate(List<String> eventTypes, List<String> channels, List<String> errors) {
        if (eventTypes != null) {
            if (eventTypes.size() > MAX_EVENT_TYPES) {
                errors.add("eventTypes: at most " + MAX_EVENT_TYPES);
            } else if (eventTypes.stream()
                    .anyMatch(t -> t == null || !TYPE_PATTERN.matcher(t).matches())) {
                errors.add("eventTypes: each an event type (letters, digits and . _ : / -, at most 255), a prefix"
                        + " wildcard like payment.* or *");
            }
        }
        validateChannels(channels, "channels", errors);
    }

    /** Checks the channels of an endpoint or a message, adding a problem to {@code errors} under {@code field}. */
    public static void validateChannels(List<String> channels, String field, List<String> errors) {
        if (channels == null) {
            return;
        }
        if (channels.size() > MAX_CHANNELS) {
            errors.add(field + ": at most " + MAX_CHANNELS);
        } else if (channels.stream()
                .anyMatch(c -> c == null || !CHANNEL.matcher(c).matches())) {
            errors.add(field + ": each 1 to " + MAX_CHANNEL_LENGTH + " letters, digits and . _ : -");
        }
    }
}
