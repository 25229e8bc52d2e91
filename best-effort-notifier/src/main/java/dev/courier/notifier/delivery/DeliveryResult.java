package dev.courier.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one HTTP request to a receiver came back with.
 *
 * @param statusCode null when no response came
 * @param body the start of the response body (enough for the acknowledgement matchers), never null
 * @param retryAfter the receiver's {@code Retry-After}, when it sent one
 * @param error why no usable response came, or a note on the response (e.g. a redirect not followed)
 */
public record DeliveryResult(
        Instant startedAt,
        Duration duration,
        Integer statusCode,
        String body,
        Optional<Duration> retryAfter,
        String error) {

    public static final int EXCERPT_CHARS = 1024;

    public static DeliveryResult failed(Instant startedAt, Duration duration, String error) {
        return new DeliveryResult(startedAt, duration, null, "", Optional.empty(), error);
    }

    /** The first kilobyte of the body, as recorded with the attempt. */
    public String excerpt() {
        return body.length() <= EXCERPT_CHARS ? body : body.substring(0, EXCERPT_CHARS);
    }
}
