package dev.courier.notifier.delivery;

import dev.courier.notifier.endpoint.EndpointStore;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing secrets of endpoints, read at most once per {@code ttl}: a rotation signs within that time. The dispatcher
 * {@linkplain #refresh refreshes} the endpoints of each claim in one query before handing the claim to deliveries, so
 * that a delivery does not take a pooled connection for its secrets: 20 black-holed endpoints whose attempts timed out
 * together each read their secrets on their own, 40 queries within milliseconds that emptied the pool the REST intake
 * shares (measured: healthy latency up to 80 ms in those moments, once a second).
 */
final class SigningSecrets {

    private record Cached(List<String> secrets, long expiresAtNanos) {}

    private final EndpointStore endpoints;
    private final DeliveryMetrics metrics;
    private final long ttlNanos;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    SigningSecrets(EndpointStore endpoints, DeliveryMetrics metrics, Duration ttl) {
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.ttlNanos = ttl.toNanos();
    }

    /** Reads, in one query, the secrets of those of {@code endpointIds} that are not cached or whose time is up. */
    void refresh(Collection<UUID> endpointIds) {
        long now = System.nanoTime();
        Set<UUID> stale = new HashSet<>();
        for (UUID id : endpointIds) {
            if (!current(cache.get(id), now)) {
                stale.add(id);
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        long expiresAt = now + ttlNanos;
        metrics.secretsRead(true);
        endpoints.signingSecrets(stale).forEach((id, secrets) -> cache.put(id, new Cached(secrets, expiresAt)));
    }

    List<String> of(UUID endpointId) {
        long now = System.nanoTime();
        Cached cached = cache.get(endpointId);
        if (!current(cached, now)) {
            metrics.secretsRead(false);
            cached = new Cached(endpoints.signingSecrets(endpointId), now + ttlNanos);
            cache.put(endpointId, cached);
        }
        return cached.secrets;
    }

    private static boolean current(Cached cached, long now) {
        return cached != null && now - cached.expiresAtNanos <= 0;
    }
}
