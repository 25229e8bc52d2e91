package dev.courier.notifier.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryProfileTest {

    @Test
    void wechatPayRetriesFifteenTimesOverTwentyFourHoursAndFourMinutes() {
        RetryProfile wechat = RetryProfile.parse("wechat-pay");

        assertThat(wechat.maxAttempts()).isEqualTo(16);
        assertThat(wechat.totalSpan()).isEqualTo(Duration.ofHours(24).plusMinutes(4));
        assertThat(wechat.delayAfter(1)).contains(Duration.ofSeconds(15));
        assertThat(wechat.delayAfter(4)).contains(Duration.ofMinutes(3));
        assertThat(wechat.delayAfter(15)).contains(Duration.ofHours(6));
        assertThat(wechat.delayAfter(16)).isEmpty();
    }

    @Test
    void alipayAndStandardWebhooksFollowTheirPublishedSchedules() {
        RetryProfile alipay = RetryProfile.parse("alipay");
        RetryProfile standard = RetryProfile.parse("Standard-Webhooks");

        assertThat(alipay.maxAttempts()).isEqualTo(8);
        assertThat(alipay.delayAfter(1)).contains(Duration.ofMinutes(4));
        assertThat(alipay.delayAfter(7)).contains(Duration.ofHours(15));
        assertThat(standard.maxAttempts()).isEqualTo(8);
        assertThat(standard.delayAfter(1)).contains(Duration.ofSeconds(5));
        assertThat(standard.totalSpan()).isEqualTo(Duration.parse("PT27H35M5S"));
        assertThat(standard.spec()).isEqualTo("standard-webhooks");
    }

    @Test
    void aCustomListGivesItsWaitsInOrder() {
        RetryProfile custom = RetryProfile.parse("custom:500ms, 2s,1m");

        assertThat(custom.maxAttempts()).isEqualTo(4);
        assertThat(custom.delayAfter(1)).contains(Duration.ofMillis(500));
        assertThat(custom.delayAfter(2)).contains(Duration.ofSeconds(2));
        assertThat(custom.delayAfter(3)).contains(Duration.ofMinutes(1));
        assertThat(custom.delayAfter(4)).isEmpty();
    }

    @Test
    void exponentialWaitsAreJitteredBetweenTheInitialWaitAndADoublingCappedCeiling() {
        RetryProfile exponential = RetryProfile.parse("exponential:1s,10s,6");

        assertThat(exponential.maxAttempts()).isEqualTo(7);
        IntStream.range(0, 200).forEach(i -> {
            assertThat(exponential.delayAfter(1)).contains(Duration.ofSeconds(1));
            assertThat(exponential.delayAfter(3).orElseThrow()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(4));
            assertThat(exponential.delayAfter(6).orElseThrow())
                    .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
        });
        assertThat(IntStream.range(0, 200)
                        .mapToObj(i -> exponential.delayAfter(5).orElseThrow())
                        .distinct()
                        .count())
                .as("jitter spreads the waits")
                .isGreaterThan(20);
        assertThat(exponential.delayAfter(7)).isEmpty();
    }

    @Test
    void badSpecsAreRefusedWithAMessageThatSaysWhatIsWrong() {
        assertThatThrownBy(() -> RetryProfile.parse("paypal")).hasMessageContaining("unknown retry profile 'paypal'");
        assertThatThrownBy(() -> RetryProfile.parse("custom:5s,soon")).hasMessageContaining("'soon' is not a wait");
        assertThatThrownBy(() -> RetryProfile.parse("custom:0s")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> RetryProfile.parse("custom:8d")).hasMessageContaining("at most 7d");
        assertThatThrownBy(() -> RetryProfile.parse("exponential:1s,1h"))
                .hasMessageContaining("<initial>,<max>,<retries>");
        assertThatThrownBy(() -> RetryProfile.parse("exponential:1h,1s,3"))
                .hasMessageContaining("max must not be below");
        assertThatThrownBy(() -> RetryProfile.parse("exponential:1s,1h,101")).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> RetryProfile.parse(" ")).hasMessageContaining("required");
    }
}
