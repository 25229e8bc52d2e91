package dev.courier.notifier.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The SSRF guard as shipped (no allow-list): internal receivers refused on write and again at every delivery. */
class PostgresSsrfGuardIT {

    @RegisterExtension
    static final NotifierExtension notifier =
            NotifierExtension.postgres("ssrf-it", Map.of("courier.notifier.ssrf.allow", ""));

    @Test
    void internalAddressesAreRefusedWhenAnEndpointIsRegistered() {
        List<String> internal = List.of(
                "http://127.0.0.1:8080/hook",
                "http://localhost/hook",
                "http://[::1]/hook",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.5/hook",
                "http://192.168.1.10/hook",
                "http://100.64.1.1/hook",
                "http://[::ffff:127.0.0.1]/hook",
                "http://[fd00:ec2::254]/hook",
                "http://0.0.0.0/hook");

        for (String url : internal) {
            NotifierApi.Reply reply = notifier.api().post("/api/endpoints", Map.of("url", url));
            assertThat(reply.status()).as(url).isEqualTo(400);
            assertThat(reply.json().path("errors").toString())
                    .as(url)
                    .contains("internal address")
                    .contains("courier.notifier.ssrf.allow");
        }
        assertThat(JdbcClient.create(notifier.dataSource())
                        .sql("SELECT count(*) FROM notifier_endpoint WHERE url NOT LIKE '%/rebound'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aHostThatResolvesToAnInternalAddressAtDeliveryIsNotContacted() {
        // Registered while it resolved elsewhere (as a rebinding attacker would arrange): written past the API.
        UUID endpointId = UUID.randomUUID();
        JdbcClient jdbc = JdbcClient.create(notifier.dataSource());
        notifier.jdbc()
                .sql("INSERT INTO notifier_endpoint (id, url, retry_profile, ack_matcher, timeout_ms, max_concurrency,"
                        + " rate_per_second) VALUES (?, ?, 'custom:100ms', 'any-2xx', 2000, 5, 50)")
                .params(endpointId, "http://localhost:" + notifier.receiver().port() + "/rebound")
                .update();
        notifier.jdbc()
                .sql("INSERT INTO notifier_endpoint_secret (endpoint_id, secret) VALUES (?, ?)")
                .params(endpointId, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .update();

        String id = notifier.api().notify(endpointId.toString(), "rebound-1", Map.of("n", 1));

        await().atMost(Duration.ofSeconds(15))
                .until(() -> notifier.api().notification(id).path("status").asString(), "GAVE_UP"::equals);
        JsonNode gaveUp = notifier.api().notification(id);
        assertThat(gaveUp.path("attempts").valueStream()).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.path("outcome").asString()).isEqualTo("FAILED");
            assertThat(attempt.path("error").asString())
                    .contains("refused by the SSRF guard")
                    .contains("localhost");
        });
        assertThat(notifier.receiver().requests("/rebound")).isEmpty();
    }
}
