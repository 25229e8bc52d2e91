package dev.courier.notifier.delivery;

import dev.courier.notifier.endpoint.DeliveryPolicy;
import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import dev.courier.notifier.schedule.RetryProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an attempt's result means for its notification.
 *
 * <ul>
 *   <li>acknowledged (per the policy's matcher): {@code DELIVERED}
 *   <li>{@code 410 Gone}: {@code GAVE_UP}, and the endpoint is disabled
 *   <li>otherwise, while the profile has waits left: {@code PENDING}, due after the next wait, or after
 *       {@code Retry-After} when the receiver asks for longer (never sooner than the schedule, never past
 *       {@link RetryProfile#MAX_WAIT})
 *   <li>the profile used up: {@code GAVE_UP}
 * </ul>
 *
 * @param nextAttemptAt when the notification is due again; for finished ones, the time of the decision
 */
public record Decision(
        AttemptOutcome outcome, NotificationStatus status, Instant nextAttemptAt, boolean disableEndpoint) {

    /** @param policy the notification's schedule and acknowledgement ({@code Endpoint#policyFor} its event type) */
    public static Decision of(DeliveryPolicy policy, int roundAttemptsMade, DeliveryResult result, Instant now) {
        Integer code = result.statusCode();
        if (code != null && policy.ackMatcher().acknowledges(code, result.body())) {
            return new Decision(AttemptOutcome.ACKNOWLEDGED, NotificationStatus.DELIVERED, now, false);
        }
        if (code != null && code == 410) {
            return new Decision(AttemptOutcome.GONE, NotificationStatus.GAVE_UP, now, true);
        }
        AttemptOutcome outcome = code == null ? AttemptOutcome.FAILED : AttemptOutcome.REJECTED;
        Optional<Duration> wait = policy.retryProfile().delayAfter(roundAttemptsMade);
        if (wait.isEmpty()) {
            return new Decision(outcome, NotificationStatus.GAVE_UP, now, false);
        }
        Duration delay = wait.get();
        Optional<Duration> asked = result.retryAfter();
        if (asked.isPresent() && asked.get().compareTo(delay) > 0) {
            delay = asked.get().compareTo(RetryProfile.MAX_WAIT) > 0 ? RetryProfile.MAX_WAIT : asked.get();
        }
        return new Decision(outcome, NotificationStatus.PENDING, now.plus(delay), false);
    }
}
