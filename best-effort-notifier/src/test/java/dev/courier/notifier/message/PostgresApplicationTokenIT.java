package dev.courier.notifier.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.TestApplications;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Application-scoped tokens over real HTTP: an application's token reads and changes that application's endpoints,
 * messages and deliveries, and nothing of any other application or of the operator's API, whichever way it asks.
 */
class PostgresApplicationTokenIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("token-it");

    static final TestApplications applications = new TestApplications(notifier);
    static String alpha;
    static String beta;
    static NotifierApi alphaApi;
    static JsonNode betaEndpoint;
    static String betaMessage;
    static String betaDelivery;

    @BeforeAll
    static void twoApplications() {
        alpha = applications.create("alpha");
        beta = applications.create("beta");
        alphaApi = notifier.api().withToken(issue(alpha, Map.of()).path("token").asString());
        applications.endpoint(alpha, "/tokens/alpha");
        betaEndpoint = applications.endpoint(beta, "/tokens/beta");
        betaMessage = applications
                .send(beta, "b-1", "payment.succeeded", Map.of("secret", "beta-data"), null)
                .json()
                .path("id")
                .asString();
        betaDelivery = applications
                .awaitAllDelivered(beta, betaMessage, 1)
                .path("deliveries")
                .get(0)
                .path("id")
                .asString();
    }

    static JsonNode issue(String application, Map<String, Object> request) {
        Reply reply = notifier.api().post("/api/applications/" + application + "/tokens", request);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        return reply.json();
    }

    @Test
    void anApplicationTokenWorksOnItsOwnApplication() {
        Reply created = alphaApi.post(
                "/api/applications/" + alpha + "/endpoints",
                Map.of("url", notifier.receiver().url("/tokens/alpha-2"), "eventTypes", List.of("refund.*")));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(alphaApi.get("/api/applications/" + alpha + "/endpoints").json())
                .hasSize(2);
        Reply sent = alphaApi.post(
                "/api/applications/" + alpha + "/messages",
                Map.of("eventType", "refund.created", "payload", Map.of("n", 1)),
                Map.of("Idempotency-Key", "a-1"));
        assertThat(sent.status()).isEqualTo(202);
        JsonNode message =
                applications.awaitAllDelivered(alpha, sent.json().path("id").asString(), 2);
        String delivery = message.path("deliveries").get(0).path("id").asString();
        assertThat(alphaApi.get("/api/applications/" + alpha + "/deliveries/" + delivery)
                        .status())
                .isEqualTo(200);
        assertThat(alphaApi.get("/api/applications/" + alpha + "/deliveries").json())
                .hasSize(2);
    }

    @Test
    void anApplicationTokenSeesAndChangesNothingOfAnotherApplication() {
        String betaEndpointId = betaEndpoint.path("id").asString();
        List<Reply> refused = List.of(
                alphaApi.get("/api/applications/" + beta + "/endpoints"),
                alphaApi.get("/api/applications/" + beta + "/endpoints/" + betaEndpointId),
                alphaApi.patch("/api/applications/" + beta + "/endpoints/" + betaEndpointId, Map.of("enabled", false)),
                alphaApi.post("/api/applications/" + beta + "/endpoints/" + betaEndpointId + "/secrets", Map.of()),
                alphaApi.get("/api/applications/" + beta + "/messages"),
                alphaApi.get("/api/applications/" + beta + "/messages/" + betaMessage),
                alphaApi.post(
                        "/api/applications/" + beta + "/messages",
                        Map.of("eventType", "payment.succeeded", "payload", 1),
                        Map.of("Idempotency-Key", "x")),
                alphaApi.post("/api/applications/" + beta + "/messages/" + betaMessage + "/redeliver", Map.of()),
                alphaApi.get("/api/applications/" + beta + "/deliveries"),
                alphaApi.get("/api/applications/" + beta + "/deliveries/" + betaDelivery),
                alphaApi.post("/api/applications/" + beta + "/deliveries/" + betaDelivery + "/redeliver", Map.of()),
                alphaApi.post(
                        "/api/applications/" + beta + "/recoveries",
                        Map.of("from", "2020-01-01T00:00:00Z", "to", "2999-01-01T00:00:00Z")));
        assertThat(refused).allSatisfy(reply -> {
            assertThat(reply.status()).as(reply.raw().uri().toString()).isEqualTo(403);
            assertThat(reply.raw().body()).doesNotContain("beta-data", betaEndpointId);
        });
    }

    @Test
    void anotherApplicationsResourcesAreNotFoundUnderTheTokensOwnApplication() {
        String betaEndpointId = betaEndpoint.path("id").asString();
        List<Reply> notFound = List.of(
                alphaApi.get("/api/applications/" + alpha + "/endpoints/" + betaEndpointId),
                alphaApi.patch("/api/applications/" + alpha + "/endpoints/" + betaEndpointId, Map.of("enabled", false)),
                alphaApi.post("/api/applications/" + alpha + "/endpoints/" + betaEndpointId + "/secrets", Map.of()),
                alphaApi.get("/api/applications/" + alpha + "/messages/" + betaMessage),
                alphaApi.post("/api/applications/" + alpha + "/messages/" + betaMessage + "/redeliver", Map.of()),
                alphaApi.get("/api/applications/" + alpha + "/deliveries/" + betaDelivery),
                alphaApi.post("/api/applications/" + alpha + "/deliveries/" + betaDelivery + "/redeliver", Map.of()),
                alphaApi.post("/api/applications/" + alpha + "/deliveries/" + betaDelivery + "/cancel", Map.of()),
                alphaApi.post(
                        "/api/applications/" + alpha + "/recoveries",
                        Map.of(
                                "endpointId",
                                betaEndpointId,
                                "from",
                                "2020-01-01T00:00:00Z",
                                "to",
                                "2999-01-01T00:00:00Z")));
        assertThat(notFound).allSatisfy(reply -> {
            assertThat(reply.status()).as(reply.raw().uri().toString()).isEqualTo(404);
            assertThat(reply.raw().body()).doesNotContain("beta-data");
        });
        assertThat(alphaApi.get("/api/applications/" + alpha + "/deliveries")
                        .json()
                        .toString())
                .doesNotContain("beta-data", betaDelivery);
        assertThat(notifier.api()
                        .get("/api/endpoints/" + betaEndpointId)
                        .json()
                        .path("enabled")
                        .asBoolean())
                .as("beta's endpoint was not disabled")
                .isTrue();
        assertThat(notifier.receiver().requests("/tokens/beta")).hasSize(1);
    }

    @Test
    void anApplicationTokenReachesNoneOfTheOperatorsCalls() {
        for (Reply reply : List.of(
                alphaApi.get("/api/endpoints"),
                alphaApi.get("/api/notifications"),
                alphaApi.get("/api/applications"),
                alphaApi.get("/api/applications/" + alpha),
                alphaApi.patch("/api/applications/" + alpha, Map.of("ratePerSecond", 100_000)),
                alphaApi.post("/api/applications/" + alpha + "/tokens", Map.of()),
                alphaApi.get("/api/applications/" + alpha + "/tokens"),
                alphaApi.post("/api/recoveries", Map.of()),
                alphaApi.get("/actuator/metrics"),
                alphaApi.get("/actuator/prometheus"))) {
            assertThat(reply.status()).as(reply.raw().uri().toString()).isEqualTo(403);
        }
    }

    @Test
    void revokedExpiredAndForgedTokensAreRefused() {
        JsonNode revoked = issue(alpha, Map.of("description", "to revoke"));
        NotifierApi revokedApi = notifier.api().withToken(revoked.path("token").asString());
        String path = "/api/applications/" + alpha + "/endpoints";
        assertThat(revokedApi.get(path).status()).isEqualTo(200);

        Reply revoke = notifier.api()
                .delete("/api/applications/" + alpha + "/tokens/"
                        + revoked.path("info").path("id").asString());

        assertThat(revoke.status()).isEqualTo(204);
        assertThat(revokedApi.get(path).status()).isEqualTo(401);

        JsonNode shortLived = issue(alpha, Map.of("expiresInSeconds", 1));
        Instant expiry = Instant.parse(shortLived.path("info").path("expiresAt").asString());
        NotifierApi shortLivedApi =
                notifier.api().withToken(shortLived.path("token").asString());
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        Instant.now().isAfter(expiry) && shortLivedApi.get(path).status() == 401);

        String genuine = issue(alpha, Map.of()).path("token").asString();
        char last = genuine.charAt(genuine.length() - 1);
        String forged = genuine.substring(0, genuine.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(notifier.api().withToken(forged).get(path).status()).isEqualTo(401);
        assertThat(notifier.api().withToken("cna_" + "A".repeat(43)).get(path).status())
                .isEqualTo(401);
        JsonNode listed =
                notifier.api().get("/api/applications/" + alpha + "/tokens").json();
        assertThat(listed.toString())
                .doesNotContain(genuine, revoked.path("token").asString());
        assertThat(notifier.jdbc()
                        .sql("SELECT count(*) FROM notifier_application_token WHERE encode(digest, 'escape') LIKE ?")
                        .param("%" + genuine.substring(4, 20) + "%")
                        .query(Long.class)
                        .single())
                .as("only the digest is stored")
                .isZero();
    }
}
