package dev.courier.notifier.notification;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One HTTP request of a notification.
 *
 * @param statusCode null when no response came (refused, timed out, blocked)
 * @param responseExcerpt the first kilobyte of the response body
 * @param error why the attempt failed, when it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(
        int number,
        String instance,
        Instant startedAt,
        long durationMs,
        Integer statusCode,
        String responseExcerpt,
        String error,
        AttemptOutcome outcome) {}
