package dev.courier.notifier.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.notifier.schedule.RetryProfile;
import dev.courier.notifier.support.TestEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payment presets as their providers document them, and how an endpoint picks one per event type. */
class PresetTest {

    private static Duration span(Preset preset) {
        return preset.policy().retryProfile().totalSpan();
    }

    @Test
    void eachPresetHasItsProvidersScheduleAndAcknowledgement() {
        assertThat(span(Preset.WECHAT_PAY_V3)).isEqualTo(Duration.parse("PT24H4M"));
        assertThat(Preset.WECHAT_PAY_V3.policy().ackMatcher()).isEqualTo(AckMatcher.STATUS_200_204);
        assertThat(span(Preset.WECHAT_PAY_SCORE)).isEqualTo(Duration.ofSeconds(15 + 15 + 30 + 180 + 4 * 1800 + 3600));
        assertThat(Preset.WECHAT_PAY_SCORE.policy().ackMatcher()).isEqualTo(AckMatcher.STATUS_200_204);
        assertThat(span(Preset.WECHAT_PAY_V2)).isEqualTo(span(Preset.WECHAT_PAY_SCORE));
        assertThat(Preset.WECHAT_PAY_V2.policy().ackMatcher()).isEqualTo(AckMatcher.XML_RETURN_CODE_SUCCESS);
        assertThat(span(Preset.ALIPAY)).isEqualTo(Duration.parse("PT24H24M"));
        assertThat(Preset.ALIPAY.policy().ackMatcher()).isEqualTo(AckMatcher.EXACT_BODY_SUCCESS);
        assertThat(span(Preset.ANTOM)).isEqualTo(Duration.parse("PT24H22M"));
        assertThat(Preset.ANTOM.policy().ackMatcher()).isEqualTo(AckMatcher.JSON_RESULT_SUCCESS);
        assertThat(span(Preset.STANDARD_WEBHOOKS_LONG)).isEqualTo(Duration.parse("PT75H35M5S"));
        assertThat(RetryProfile.parse("standard-webhooks-long").delayAfter(9)).contains(Duration.ofHours(24));
        assertThat(RetryProfile.parse("standard-webhooks-long").delayAfter(10)).isEmpty();
    }

    @Test
    void theMostSpecificPatternPicksTheNotificationsPreset() {
        Endpoint base = TestEndpoints.withProfile("custom:1s", Instant.EPOCH);
        EndpointSettings settings = new EndpointSettings(
                base.url(),
                null,
                base.retryProfile(),
                AckMatcher.ANY_2XX,
                base.timeout(),
                10,
                100,
                Map.of(),
                true,
                Subscription.ALL,
                Ordering.NONE,
                Map.of(
                        "*", Preset.ALIPAY,
                        "payment.*", Preset.WECHAT_PAY_V3,
                        "payment.refund.*", Preset.ANTOM,
                        "payment.succeeded", Preset.WECHAT_PAY_SCORE));

        assertThat(settings.policyFor("payment.succeeded")).isEqualTo(Preset.WECHAT_PAY_SCORE.policy());
        assertThat(settings.policyFor("payment.refund.done")).isEqualTo(Preset.ANTOM.policy());
        assertThat(settings.policyFor("payment.failed")).isEqualTo(Preset.WECHAT_PAY_V3.policy());
        assertThat(settings.policyFor("order.created")).isEqualTo(Preset.ALIPAY.policy());
        assertThat(base.policyFor("payment.succeeded"))
                .as("no presets: the endpoint's own profile and matcher")
                .isEqualTo(new DeliveryPolicy(base.retryProfile(), AckMatcher.ANY_2XX));
    }

    @Test
    void anUnknownPresetIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> Preset.parse("paypal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wechat-pay-v3")
                .hasMessageContaining("antom");
    }
}
