package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver;
import dev.courier.receiver.WebhookVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Where deliveries find their signing secrets: read for a claim's endpoints in one query before the deliveries start,
 * never by each delivery on its own (which took a pooled connection per delivery, all at once when many attempts
 * ended together).
 */
class PostgresSigningSecretsIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("signing-secrets-it");

    @Test
    void deliveriesFindTheirSecretsReadForTheirClaim() {
        int endpoints = 20;
        List<String> ids = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            JsonNode endpoint = notifier.api()
                    .createEndpoint(Map.of("url", notifier.receiver().url("/signed-" + i)));
            ids.add(endpoint.path("id").asString());
            secrets.add(endpoint.path("secret").asString());
        }
        double byDeliveryBefore = reads("delivery");
        double byClaimBefore = reads("claim");

        for (int i = 0; i < endpoints; i++) {
            notifier.api().notify(ids.get(i), "signed-" + i, Map.of("n", i));
        }

        for (int i = 0; i < endpoints; i++) {
            String path = "/signed-" + i;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !notifier.receiver().requests(path).isEmpty());
            Receiver.Request request = notifier.receiver().requests(path).getFirst();
            assertThat(WebhookVerifier.of(secrets.get(i)).verify(request::header, request.body()))
                    .as("signed with endpoint %d's own secret", i)
                    .isNotNull();
        }
        assertThat(reads("delivery") - byDeliveryBefore)
                .as("secrets read by single deliveries")
                .isZero();
        assertThat(reads("claim") - byClaimBefore).isBetween(1.0, (double) endpoints);
    }

    @Test
    void aRefreshReadsManyEndpointsInOneQueryNewestSecretFirst() {
        EndpointStore store = new EndpointStore(
                notifier.jdbc(), new TransactionTemplate(new DataSourceTransactionManager(notifier.dataSource())));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(UUID.fromString(notifier.api()
                    .createEndpoint(Map.of("url", notifier.receiver().url("/refresh-" + i)))
                    .path("id")
                    .asString()));
        }
        UUID rotated = ids.getFirst();
        String newest = notifier.api()
                .post("/api/endpoints/" + rotated + "/secrets", Map.of("overlapSeconds", 3600))
                .json()
                .path("secret")
                .asString();
        UUID unknown = UUID.randomUUID();
        MeterRegistry registry = new SimpleMeterRegistry();
        SigningSecrets cache = new SigningSecrets(store, new DeliveryMetrics(registry), Duration.ofMinutes(1));

        List<UUID> claimed = new ArrayList<>(ids);
        claimed.add(unknown);
        claimed.add(rotated); // an endpoint claimed twice is read once
        cache.refresh(claimed);

        assertThat(registry.get("courier.notifier.secrets.reads")
                        .tag("by", "claim")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(cache.of(rotated)).hasSize(2).first().isEqualTo(newest);
        ids.forEach(id -> assertThat(cache.of(id)).isNotEmpty());
        assertThat(cache.of(unknown)).isEmpty();
        assertThat(registry.get("courier.notifier.secrets.reads")
                        .tag("by", "delivery")
                        .counter()
                        .count())
                .as("every secret came from the refresh")
                .isZero();

        cache.refresh(claimed);
        assertThat(registry.get("courier.notifier.secrets.reads")
                        .tag("by", "claim")
                        .counter()
                        .count())
                .as("nothing read again within the time to live")
                .isEqualTo(1);
    }

    private static double reads(String by) {
        return notifier.bean(MeterRegistry.class)
                .get("courier.notifier.secrets.reads")
                .tag("by", by)
                .counter()
                .count();
    }
}
