package dev.courier.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The {@code v1a} (Ed25519) scheme against the Standard Webhooks reference libraries' published test vector: the
 * private key {@code TESTSIGNINGKEYDONOTUSETHISFORANY} signs message {@code msg_p5jXN8AQM9LWM0D4loKWxJek} at
 * 1614265330 with body {@code {"test": 2432232314}} to exactly the published signature, and the verifier accepts it
 * with the matching public key and refuses what the reference tests refuse.
 */
class AsymmetricSignatureTest {

    private static final String PRIVATE_KEY = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE =
            "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==";
    private static final Clock AT_SIGNING = Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC);

    private static Map<String, String> headers(String signature) {
        return Map.of("webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature", signature);
    }

    private static WebhookVerifier verifier() {
        return WebhookVerifier.of(AsymmetricSignature.publicKeyOf(PRIVATE_KEY)).withClock(AT_SIGNING);
    }

    @Test
    void signsThePublishedTestVectorToThePublishedSignature() {
        String signature = AsymmetricSignature.sign(
                AsymmetricSignature.privateKey(PRIVATE_KEY), ID, TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesThePublishedSignatureWithThePublicKey() {
        assertThat(verifier().verify(headers(SIGNATURE)::get, BODY)).isEqualTo(ID);
    }

    @Test
    void refusesWhatTheReferenceTestsRefuse() {
        WebhookVerifier verifier = verifier();

        for (String bad : new String[] {
            "v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v1a,",
            SIGNATURE.replace("v1a,", "v1,"),
            SIGNATURE.replace("tQ9V", "tQ9W")
        }) {
            assertThatThrownBy(() -> verifier.verify(headers(bad)::get, BODY))
                    .as(bad)
                    .isInstanceOf(WebhookVerificationException.class);
        }
        assertThatThrownBy(() -> verifier.verify(headers(SIGNATURE)::get, BODY.replace("4", "5")))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void acceptsTheValidOneAmongSeveralSignaturesOfEitherScheme() {
        String several =
                "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                        + SIGNATURE + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        WebhookVerifier mixed = WebhookVerifier.of(
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", AsymmetricSignature.publicKeyOf(PRIVATE_KEY))
                .withClock(AT_SIGNING);

        assertThat(mixed.verify(headers(several)::get, BODY)).isEqualTo(ID);
        assertThat(mixed.verify(headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")::get, BODY))
                .as("the HMAC vector passes the same verifier")
                .isEqualTo(ID);
    }

    @RepeatedTest(20)
    void aFreshKeyPairSignsWhatItsPublicKeyVerifiesAndNoOtherKeyDoes() {
        String[] pair = AsymmetricSignature.newKeyPair();
        String[] other = AsymmetricSignature.newKeyPair();
        byte[] body = ("{\"n\":" + System.nanoTime() + "}").getBytes(StandardCharsets.UTF_8);
        String signature = AsymmetricSignature.sign(AsymmetricSignature.privateKey(pair[0]), ID, TIMESTAMP, body);

        assertThat(AsymmetricSignature.publicKeyOf(pair[0])).isEqualTo(pair[1]);
        assertThat(WebhookVerifier.of(pair[1]).withClock(AT_SIGNING).verify(headers(signature)::get, body))
                .isEqualTo(ID);
        assertThatThrownBy(
                        () -> WebhookVerifier.of(other[1]).withClock(AT_SIGNING).verify(headers(signature)::get, body))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void refusesKeysOfTheWrongFormWithoutEchoingThem() {
        assertThatThrownBy(() -> WebhookVerifier.of(PRIVATE_KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whpk_")
                .hasMessageNotContaining("VEVTVFNJR05J");
        assertThatThrownBy(() -> WebhookVerifier.of("whpk_AAAA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> AsymmetricSignature.privateKey("whsk_not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not base64!");
    }
}
