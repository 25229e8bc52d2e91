package dev.courier.notifier.support;

import dev.courier.notifier.endpoint.AckMatcher;
import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointSettings;
import dev.courier.notifier.endpoint.Ordering;
import dev.courier.notifier.endpoint.Subscription;
import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Endpoints as unit tests need them, without a database: one on its own, every setting at a plain value. */
public final class TestEndpoints {

    private TestEndpoints() {}

    /** An enabled endpoint of {@code https://merchant.example/hook} with the given retry profile, 5 s timeout. */
    public static Endpoint withProfile(String retryProfile, Instant createdAt) {
        return new Endpoint(
                UUID.randomUUID(),
                null,
                new EndpointSettings(
                        URI.create("https://merchant.example/hook"),
                        null,
                        RetryProfile.parse(retryProfile),
                        AckMatcher.ANY_2XX,
                        Duration.ofSeconds(5),
                        10,
                        100,
                        Map.of(),
                        true,
                        Subscription.ALL,
                        Ordering.NONE,
                        Map.of()),
                null,
                createdAt,
                createdAt);
    }
}
