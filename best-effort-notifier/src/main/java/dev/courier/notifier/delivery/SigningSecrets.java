package dev.courier.notifier.delivery;

import dev.courier.notifier.endpoint.EndpointStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The signing secrets of endpoints, read at most once per {@code ttl}: a rotation signs within that time. */
final class SigningSecrets {

    private record Cached(List<String> secrets, long expiresAtNanos) {}

    private final EndpointStore endpoints;
    private final long ttlNanos;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    SigningSecrets(EndpointStore endpoints, Duration ttl) {
        this.endpoints = endpoints;
        this.ttlNanos = ttl.toNanos();
    }

    List<String> of(UUID endpointId) {
        long now = System.nanoTime();
        Cached cached = cache.get(endpointId);
        if (cached == null || now - cached.expiresAtNanos > 0) {
            cached = new Cached(endpoints.signingSecrets(endpointId), now + ttlNanos);
            cache.put(endpointId, cached);
        }
        return cached.secrets;
    }
}
