package dev.courier.notifier.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.TestApplications;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Portal links and test events over real HTTP: what a link is made of, how long it lives, and every bad request
 * refused as a 4xx that issues nothing.
 */
class PostgresPortalLinkIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres(
            "portal-link-it", Map.of("courier.notifier.portal.public-url", "https://webhooks.example/"));

    static final TestApplications applications = new TestApplications(notifier);

    @Test
    void aLinkStartsAtThePublicAddressAndCarriesAShortLivedTokenOfItsApplication() {
        String application = applications.create("link");
        Instant before = Instant.now();
        Reply reply = notifier.api().post("/api/applications/" + application + "/portal-links", Map.of());
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        JsonNode link = reply.json();
        String token = link.path("token").asString();
        assertThat(link.path("url").asString())
                .isEqualTo("https://webhooks.example/portal/#application=" + application + "&token=" + token);
        // The default lifetime is an hour.
        Instant expires = Instant.parse(link.path("expiresAt").asString());
        assertThat(expires)
                .isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        JsonNode listed = notifier.api()
                .get("/api/applications/" + application + "/tokens")
                .json();
        assertThat(listed.toString()).contains(link.path("tokenId").asString(), "portal link");
        assertThat(listed.toString()).doesNotContain(token);
        // The token works on its application, and cannot ask for more links.
        assertThat(notifier.api()
                        .withToken(token)
                        .get("/api/applications/" + application + "/endpoints")
                        .status())
                .isEqualTo(200);
        assertThat(notifier.api()
                        .withToken(token)
                        .post("/api/applications/" + application + "/portal-links", Map.of())
                        .status())
                .isEqualTo(403);
    }

    @Test
    void badRequestsForALinkAreRefusedAndIssueNothing() {
        String application = applications.create("bad-link");
        List<Object> bodies = List.of(
                Map.of("expiresInSeconds", 0),
                Map.of("expiresInSeconds", -5),
                Map.of("expiresInSeconds", 86_401),
                Map.of("expiresInSeconds", "soon"),
                Map.of("expiresInSeconds", 1e30),
                Map.of("expiresInSeconds", List.of(1)),
                "[1]",
                "{\"expiresInSeconds\":",
                "\"text\"");
        for (Object body : bodies) {
            Reply reply = notifier.api().post("/api/applications/" + application + "/portal-links", body);
            assertThat(reply.status()).as(body.toString()).isEqualTo(400);
            assertThat(reply.contentType()).contains("application/problem+json");
        }
        assertThat(notifier.api()
                        .post("/api/applications/no-such-app/portal-links", Map.of())
                        .status())
                .isEqualTo(404);
        assertThat(notifier.api()
                        .post("/api/applications/bad%20id/portal-links", Map.of())
                        .status())
                .isBetween(400, 404);
        assertThat(notifier.api()
                        .get("/api/applications/" + application + "/tokens")
                        .json())
                .isEmpty();
        Reply longest = notifier.api()
                .post("/api/applications/" + application + "/portal-links", Map.of("expiresInSeconds", 86_400));
        assertThat(longest.status()).isEqualTo(201);
    }

    @Test
    void aTestEventGoesToItsEndpointOnlyAndBadOnesAreRefused() {
        String application = applications.create("test-event");
        JsonNode endpoint = applications.endpoint(application, "/test-events/one", "eventTypes", List.of("payment.*"));
        String path = "/api/applications/" + application + "/endpoints/"
                + endpoint.path("id").asString();
        Reply sent = notifier.api().post(path + "/test-events", Map.of());
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.json().path("eventType").asString()).isEqualTo("courier.test");
        assertThat(sent.json().path("source").asString()).isEqualTo("test");
        Reply named = notifier.api().post(path + "/test-events", Map.of("eventType", "refund.created"));
        assertThat(named.status()).isEqualTo(202);
        assertThat(named.json().path("eventType").asString()).isEqualTo("refund.created");

        for (Object body : List.<Object>of(
                Map.of("eventType", "bad\u0000type"),
                Map.of("eventType", "x".repeat(300)),
                Map.of("eventType", 12),
                "[1]")) {
            assertThat(notifier.api().post(path + "/test-events", body).status())
                    .as(body.toString())
                    .isEqualTo(400);
        }
        assertThat(notifier.api()
                        .post(
                                "/api/applications/" + application + "/endpoints/" + java.util.UUID.randomUUID()
                                        + "/test-events",
                                Map.of())
                        .status())
                .isEqualTo(404);
        notifier.api().patch(path, Map.of("enabled", false));
        assertThat(notifier.api().post(path + "/test-events", Map.of()).status())
                .isEqualTo(409);
        assertThat(notifier.api()
                        .get("/api/applications/" + application + "/deliveries")
                        .json())
                .hasSize(2);
    }
}
