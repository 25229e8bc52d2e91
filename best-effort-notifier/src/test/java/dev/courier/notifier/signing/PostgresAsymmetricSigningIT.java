package dev.courier.notifier.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver.Request;
import dev.courier.receiver.WebhookVerificationException;
import dev.courier.receiver.WebhookVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Standard Webhooks {@code v1a} (Ed25519) per endpoint over real HTTP: the notifier keeps the private key, shows only
 * the public key, signs every delivery so that receiver-kit verifies it with that public key; a rotation moves an
 * endpoint between the schemes with both signatures sent during the overlap.
 */
class PostgresAsymmetricSigningIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("asymmetric-it");

    private static Request delivered(String path, String endpointId, String key) {
        String id = notifier.api().notify(endpointId, key, Map.of("key", key));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.api().notification(id).path("status").asString(), "DELIVERED"::equals);
        return notifier.receiver().requests(path).stream()
                .filter(r -> r.body().contains(key))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aV1aEndpointShowsOnlyItsPublicKeyAndEveryDeliveryVerifiesWithIt() {
        Reply created = notifier.api()
                .post("/api/endpoints", Map.of("url", notifier.receiver().url("/v1a"), "signatureScheme", "v1a"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("secret"))
                .as("the private key is never shown")
                .isFalse();
        String publicKey = created.json().path("publicKeys").get(0).asString();
        assertThat(publicKey).startsWith("whpk_");
        String id = created.json().path("id").asString();
        assertThat(notifier.api()
                        .get("/api/endpoints/" + id)
                        .json()
                        .path("publicKeys")
                        .get(0)
                        .asString())
                .isEqualTo(publicKey);
        assertThat(notifier.api().get("/api/endpoints/" + id).raw().body()).doesNotContain("whsk_");

        Request request = delivered("/v1a", id, "a-1");

        assertThat(request.header("webhook-signature")).startsWith("v1a,").doesNotContain(" ");
        assertThat(WebhookVerifier.of(publicKey).verify(request::header, request.body()))
                .isEqualTo(request.header("webhook-id"));
        assertThatThrownBy(() ->
                        WebhookVerifier.of("whpk_" + "A".repeat(43) + "=").verify(request::header, request.body()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aRotationMovesAnEndpointFromV1ToV1aWithBothSignaturesDuringTheOverlap() {
        JsonNode created =
                notifier.api().createEndpoint(Map.of("url", notifier.receiver().url("/rotate-scheme")));
        String id = created.path("id").asString();
        String secret = created.path("secret").asString();

        Reply rotated = notifier.api()
                .post("/api/endpoints/" + id + "/secrets", Map.of("scheme", "v1a", "overlapSeconds", 3600));

        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().has("secret")).isFalse();
        String publicKey = rotated.json().path("publicKey").asString();
        Request during = delivered("/rotate-scheme", id, "r-1");
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(WebhookVerifier.of(secret).verify(during::header, during.body()))
                .isNotBlank();
        assertThat(WebhookVerifier.of(publicKey).verify(during::header, during.body()))
                .isNotBlank();

        Reply revoked = notifier.api().post("/api/endpoints/" + id + "/secrets", Map.of("overlapSeconds", 0));
        String newest = revoked.json().path("publicKey").asString();
        assertThat(newest).as("a rotation keeps the scheme of the newest key").startsWith("whpk_");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Request after = delivered("/rotate-scheme", id, "r-" + System.nanoTime());
            assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
            assertThat(WebhookVerifier.of(newest).verify(after::header, after.body()))
                    .isNotBlank();
        });
    }

    @Test
    void unknownSchemesAreRefusedNamingTheField() {
        Reply create = notifier.api()
                .post("/api/endpoints", Map.of("url", notifier.receiver().url("/x"), "signatureScheme", "v2"));
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.json().path("errors").toString()).contains("signatureScheme:");

        String id = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/x")))
                .path("id")
                .asString();
        Reply rotate = notifier.api().post("/api/endpoints/" + id + "/secrets", Map.of("scheme", "ed448"));
        assertThat(rotate.status()).isEqualTo(400);
        assertThat(rotate.json().path("errors").toString()).contains("scheme:");
        Reply badKey = notifier.api().post("/api/endpoints/" + id + "/secrets", Map.of("secret", "whsk_short"));
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.raw().body()).doesNotContain("whsk_short");
        assertThat(List.of(create, rotate, badKey))
                .allSatisfy(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
    }
}
