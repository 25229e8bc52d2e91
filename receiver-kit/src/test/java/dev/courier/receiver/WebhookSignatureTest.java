package dev.courier.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signsTheSpecificationsTestVector() {
        byte[] key = WebhookSignature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        String signature = WebhookSignature.sign(
                key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "1614265330",
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void refusesSecretsOfAnotherFormWithoutEchoingThem() {
        assertThatThrownBy(() -> WebhookSignature.key("sk_live_hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with whsec_")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WebhookSignature.key("whsec_not base64!hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("followed by base64")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WebhookSignature.key(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
