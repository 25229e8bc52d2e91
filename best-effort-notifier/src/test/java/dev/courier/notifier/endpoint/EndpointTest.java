package dev.courier.notifier.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void itsTextMasksCredentialHeadersAndShowsTheOthers() {
        Endpoint endpoint = new Endpoint(
                UUID.randomUUID(),
                "shop-1",
                new EndpointSettings(
                        URI.create("https://merchant.example/hook"),
                        "shop",
                        null,
                        null,
                        Duration.ofSeconds(5),
                        10,
                        100,
                        Map.of("Authorization", "Bearer s3cr3t-value", "X-Api-Key", "k3y-value", "X-Merchant", "m-42"),
                        true,
                        Subscription.ALL,
                        Ordering.NONE,
                        Map.of()),
                null,
                Instant.EPOCH,
                Instant.EPOCH);

        assertThat(endpoint.toString())
                .doesNotContain("s3cr3t-value", "k3y-value")
                .contains("Authorization=******", "X-Api-Key=******", "X-Merchant=m-42", "merchant.example");
    }
}
