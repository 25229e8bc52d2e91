package dev.courier.notifier.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.receiver.WebhookVerifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void signsTheStandardWebhooksTestVector() {
        String signature = WebhookSigner.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}",
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signsWithEverySecretSoEitherVerifies() {
        String older = WebhookSigner.newSecret();
        String newer = WebhookSigner.newSecret();
        long now = System.currentTimeMillis() / 1000;

        String header = WebhookSigner.sign("id-1", now, "{}", List.of(newer, older));

        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        Map<String, String> headers =
                Map.of("webhook-id", "id-1", "webhook-timestamp", "" + now, "webhook-signature", header);
        assertThat(WebhookVerifier.of(older).verify(headers::get, "{}")).isEqualTo("id-1");
        assertThat(WebhookVerifier.of(newer).verify(headers::get, "{}")).isEqualTo("id-1");
    }

    @Test
    void newSecretsAreDistinctAndValid() {
        String one = WebhookSigner.newSecret();

        assertThat(one).startsWith("whsec_").isNotEqualTo(WebhookSigner.newSecret());
        WebhookSigner.requireValidSecret(one);
    }

    @Test
    void refusesSecretsOfTheWrongFormWithoutEchoingThem() {
        assertThatThrownBy(() -> WebhookSigner.requireValidSecret("s3cr3t-value"))
                .hasMessageContaining("must start with whsec_")
                .hasMessageNotContaining("s3cr3t-value");
        assertThatThrownBy(() -> WebhookSigner.requireValidSecret("whsec_c2hvcnQ="))
                .hasMessageContaining("24 to 64 key bytes");
        assertThatThrownBy(() -> WebhookSigner.requireValidSecret("whsec_%%%"))
                .hasMessageContaining("followed by base64");
    }
}
