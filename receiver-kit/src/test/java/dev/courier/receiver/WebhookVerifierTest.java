package dev.courier.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

    // The published test vector of the Standard Webhooks specification.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Clock AT_SIGNING = Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC);

    private static Map<String, String> headers(String signature, long timestamp) {
        return Map.of("webhook-id", ID, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }

    @Test
    void acceptsTheSpecificationsTestVectorAndReturnsTheId() {
        String id = WebhookVerifier.of(SECRET).withClock(AT_SIGNING).verify(headers(SIGNATURE, 1614265330)::get, BODY);

        assertThat(id).isEqualTo(ID);
    }

    @Test
    void acceptsWhenAnyOfSeveralSignaturesOrSecretsMatches() {
        WebhookVerifier rotating =
                WebhookVerifier.of("whsec_" + "A".repeat(32), SECRET).withClock(AT_SIGNING);

        assertThat(rotating.verify(headers("v1,Zm9v " + SIGNATURE, 1614265330)::get, BODY))
                .isEqualTo(ID);
    }

    @Test
    void refusesATamperedBody() {
        assertThatThrownBy(() -> WebhookVerifier.of(SECRET)
                        .withClock(AT_SIGNING)
                        .verify(headers(SIGNATURE, 1614265330)::get, "{\"test\": 2432232315}"))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("no webhook-signature matches");
    }

    @Test
    void refusesATimestampOutsideTheTolerance() {
        WebhookVerifier verifier =
                WebhookVerifier.of(SECRET).withClock(Clock.offset(AT_SIGNING, Duration.ofMinutes(6)));

        assertThatThrownBy(() -> verifier.verify(headers(SIGNATURE, 1614265330)::get, BODY))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("beyond the tolerance");
        assertThat(verifier.withTolerance(Duration.ofMinutes(10)).verify(headers(SIGNATURE, 1614265330)::get, BODY))
                .isEqualTo(ID);
    }

    @Test
    void refusesMissingHeadersAndOtherSignatureVersions() {
        WebhookVerifier verifier = WebhookVerifier.of(SECRET).withClock(AT_SIGNING);

        assertThatThrownBy(() -> verifier.verify(Map.of("webhook-id", ID)::get, BODY))
                .hasMessageContaining("webhook-timestamp header is missing");
        assertThatThrownBy(() -> verifier.verify(headers(SIGNATURE.replace("v1,", "v2,"), 1614265330)::get, BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void refusesSecretsOfTheWrongForm() {
        assertThatThrownBy(() -> WebhookVerifier.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whsec_");
    }
}
