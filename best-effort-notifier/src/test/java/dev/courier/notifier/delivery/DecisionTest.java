package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import dev.courier.notifier.schedule.RetryProfile;
import dev.courier.notifier.support.TestEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Endpoint ENDPOINT = TestEndpoints.withProfile("custom:10s,1m", NOW);

    private static DeliveryResult answer(int status, Optional<Duration> retryAfter) {
        return new DeliveryResult(NOW, Duration.ofMillis(5), status, "", retryAfter, null);
    }

    @Test
    void anAcknowledgementDelivers() {
        Decision decision = Decision.of(ENDPOINT.policyFor("payment.succeeded"), 1, answer(200, Optional.empty()), NOW);

        assertThat(decision.status()).isEqualTo(NotificationStatus.DELIVERED);
        assertThat(decision.outcome()).isEqualTo(AttemptOutcome.ACKNOWLEDGED);
    }

    @Test
    void aFailureWaitsForTheProfilesNextWaitThenGivesUp() {
        DeliveryResult refused = DeliveryResult.failed(NOW, Duration.ZERO, "connection failed");

        assertThat(Decision.of(ENDPOINT.policyFor("payment.succeeded"), 1, refused, NOW))
                .isEqualTo(new Decision(AttemptOutcome.FAILED, NotificationStatus.PENDING, NOW.plusSeconds(10), false));
        assertThat(Decision.of(ENDPOINT.policyFor("payment.succeeded"), 2, answer(500, Optional.empty()), NOW)
                        .nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(60));
        assertThat(Decision.of(ENDPOINT.policyFor("payment.succeeded"), 3, answer(500, Optional.empty()), NOW))
                .isEqualTo(new Decision(AttemptOutcome.REJECTED, NotificationStatus.GAVE_UP, NOW, false));
    }

    @Test
    void retryAfterCountsOnlyWhenLongerThanTheScheduleAndIsCapped() {
        assertThat(Decision.of(
                                ENDPOINT.policyFor("payment.succeeded"),
                                1,
                                answer(503, Optional.of(Duration.ofSeconds(30))),
                                NOW)
                        .nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(30));
        assertThat(Decision.of(
                                ENDPOINT.policyFor("payment.succeeded"),
                                1,
                                answer(503, Optional.of(Duration.ofSeconds(1))),
                                NOW)
                        .nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(10));
        assertThat(Decision.of(
                                ENDPOINT.policyFor("payment.succeeded"),
                                1,
                                answer(429, Optional.of(Duration.ofDays(30))),
                                NOW)
                        .nextAttemptAt())
                .isEqualTo(NOW.plus(RetryProfile.MAX_WAIT));
    }

    @Test
    void goneGivesUpAtOnceAndDisablesTheEndpoint() {
        assertThat(Decision.of(ENDPOINT.policyFor("payment.succeeded"), 1, answer(410, Optional.empty()), NOW))
                .isEqualTo(new Decision(AttemptOutcome.GONE, NotificationStatus.GAVE_UP, NOW, true));
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        assertThat(DeliveryClient.retryAfter("120")).contains(Duration.ofSeconds(120));
        assertThat(DeliveryClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(DeliveryClient.retryAfter("soon")).isEmpty();
    }
}
