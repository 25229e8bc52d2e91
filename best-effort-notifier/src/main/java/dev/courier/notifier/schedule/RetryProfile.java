package dev.courier.notifier.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a failed notification is tried again. The first attempt is immediate; the profile gives the waits after it.
 *
 * <ul>
 *   <li>{@code wechat-pay}: 15s 15s 30s 3m 10m 20m 30m 30m 30m 60m 3h 3h 3h 6h 6h (16 attempts over 24h4m; WeChat
 *       Pay API v3 payment and refund results)
 *   <li>{@code wechat-pay-v2}, {@code wechat-pay-score}: 15s 15s 30s 3m 30m 30m 30m 30m 60m (10 attempts over 3h4m;
 *       WeChat Pay API v2 payment results, WeChat Pay Score payment results)
 *   <li>{@code alipay}: 4m 10m 10m 1h 2h 6h 15h (8 attempts over 24h24m)
 *   <li>{@code antom}: 2m 10m 10m 1h 2h 6h 15h (8 attempts over 24h22m)
 *   <li>{@code standard-webhooks}: 5s 5m 30m 2h 5h 10h 10h (8 attempts over 27h35m5s; Svix's schedule)
 *   <li>{@code standard-webhooks-long}: 5s 5m 30m 2h 5h 10h 14h 20h 24h (10 attempts over 75h35m5s; the example
 *       schedule of the Standard Webhooks specification)
 *   <li>{@code custom:1s,30s,5m}: the listed waits
 *   <li>{@code exponential:1s,1h,10}: 10 retries, the n-th wait drawn uniformly between the initial wait and
 *       {@code min(max, initial * 2^(n-1))} (jitter spreads the retries of a recovering receiver)
 * </ul>
 */
public final class RetryProfile {

    /** Longest wait any profile may ask for. */
    public static final Duration MAX_WAIT = Duration.ofDays(7);
    /** Most retries any profile may ask for. */
    public static final int MAX_RETRIES = 100;
    /** Longest spec, as stored ({@code retry_profile} column). */
    public static final int MAX_SPEC_LENGTH = 512;

    private static final String NAMES = "wechat-pay, wechat-pay-v2, wechat-pay-score, alipay, antom,"
            + " standard-webhooks, standard-webhooks-long";

    /** At most 10 digits: 7 days in milliseconds has 9, so a longer number is refused before it can overflow. */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,10})(ms|s|m|h|d)");

    private final String spec;
    private final List<Duration> waits;
    private final Duration jitterFloor;

    private RetryProfile(String spec, List<Duration> waits, Duration jitterFloor) {
        this.spec = spec;
        this.waits = List.copyOf(waits);
        this.jitterFloor = jitterFloor;
    }

    /**
     * Reads a profile name or spec.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code spec}
     */
    public static RetryProfile parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("a retry profile is required: " + NAMES
                    + ", custom:<waits> or exponential:<initial>,<max>,<retries>");
        }
        String normalized = spec.trim().toLowerCase(Locale.ROOT);
        if (normalized.length() > MAX_SPEC_LENGTH) {
            throw new IllegalArgumentException("a retry profile has at most " + MAX_SPEC_LENGTH + " characters, this"
                    + " one has " + normalized.length() + " (use exponential:<initial>,<max>,<retries> for long ones)");
        }
        return switch (normalized) {
            case "wechat-pay" -> named(normalized, "15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h");
            case "wechat-pay-v2", "wechat-pay-score" -> named(normalized, "15s,15s,30s,3m,30m,30m,30m,30m,60m");
            case "alipay" -> named(normalized, "4m,10m,10m,1h,2h,6h,15h");
            case "antom" -> named(normalized, "2m,10m,10m,1h,2h,6h,15h");
            case "standard-webhooks" -> named(normalized, "5s,5m,30m,2h,5h,10h,10h");
            case "standard-webhooks-long" -> named(normalized, "5s,5m,30m,2h,5h,10h,14h,20h,24h");
            default -> {
                if (normalized.startsWith("custom:")) {
                    yield named(normalized, normalized.substring("custom:".length()));
                }
                if (normalized.startsWith("exponential:")) {
                    yield exponential(normalized);
                }
                throw new IllegalArgumentException("unknown retry profile '" + spec + "': use " + NAMES
                        + ", custom:<waits> or exponential:<initial>,<max>,<retries>");
            }
        };
    }

    private static RetryProfile named(String spec, String waitList) {
        List<Duration> waits = new ArrayList<>();
        for (String part : waitList.split(",", -1)) {
            waits.add(duration(part, spec));
        }
        if (waits.size() > MAX_RETRIES) {
            throw new IllegalArgumentException("retry profile has " + waits.size() + " waits, at most " + MAX_RETRIES);
        }
        return new RetryProfile(spec, waits, null);
    }

    private static RetryProfile exponential(String spec) {
        String[] parts = spec.substring("exponential:".length()).split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("retry profile '" + spec
                    + "' must be exponential:<initial>,<max>,<retries>, e.g. exponential:1s,1h,10");
        }
        Duration initial = duration(parts[0], spec);
        Duration max = duration(parts[1], spec);
        int retries;
        try {
            retries = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("retry profile '" + spec + "': retries must be a number");
        }
        if (retries < 1 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException(
                    "retry profile '" + spec + "': retries must be 1 to " + MAX_RETRIES + ", was " + retries);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry profile '" + spec + "': max must not be below initial");
        }
        List<Duration> ceilings = new ArrayList<>();
        Duration ceiling = initial;
        for (int n = 0; n < retries; n++) {
            ceilings.add(ceiling);
            ceiling = ceiling.compareTo(max.dividedBy(2)) > 0 ? max : ceiling.multipliedBy(2);
        }
        return new RetryProfile(spec, ceilings, initial);
    }

    private static Duration duration(String text, String spec) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("retry profile: '" + abbreviate(text.trim())
                    + "' is not a wait like 500ms, 15s, 3m, 2h or 1d (at most " + MAX_WAIT.toDays() + "d)");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration wait = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (wait.isZero() || wait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException(
                    "retry profile: waits must be above 0 and at most " + MAX_WAIT.toDays() + "d");
        }
        return wait;
    }

    /** Error messages quote the caller's text only in part: a refusal must not echo a megabyte back. */
    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** The spec in its normal form, as stored. */
    public String spec() {
        return spec;
    }

    /** Attempts in one round: the first plus one per wait. */
    public int maxAttempts() {
        return waits.size() + 1;
    }

    /**
     * The wait before the next attempt, after {@code attemptsMade} attempts of this round; empty when the round is
     * used up and the notification gives up.
     */
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1, was " + attemptsMade);
        }
        if (attemptsMade > waits.size()) {
            return Optional.empty();
        }
        Duration ceiling = waits.get(attemptsMade - 1);
        if (jitterFloor == null) {
            return Optional.of(ceiling);
        }
        // Exponential: jitter between the initial wait and this retry's ceiling.
        long low = jitterFloor.toMillis();
        long high = ceiling.toMillis();
        return Optional.of(Duration.ofMillis(
                high <= low ? low : ThreadLocalRandom.current().nextLong(low, high + 1)));
    }

    /** Sum of the waits (for exponential profiles, of their ceilings). */
    public Duration totalSpan() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public String toString() {
        return spec;
    }
}
