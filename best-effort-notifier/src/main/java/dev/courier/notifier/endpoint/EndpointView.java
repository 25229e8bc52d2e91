package dev.courier.notifier.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An endpoint as the API shows it. {@code secret} (a {@code v1} shared secret) is present only in the answer that
 * created it; a {@code v1a} private key is never shown, its public key is ({@code publicKeys}). On create and on
 * rotation); it is never shown again. Headers that carry credentials ({@link UserHeaders#isCredential}) are
 * write-only too: {@code headers} leaves them out and {@code writeOnlyHeaders} names them. A PATCH of
 * {@code headers} replaces them all, so it must carry the credentials again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(
        UUID id,
        String applicationId,
        String url,
        String description,
        String retryProfile,
        String ackMatcher,
        long timeoutMs,
        int maxConcurrency,
        int ratePerSecond,
        Map<String, String> headers,
        List<String> writeOnlyHeaders,
        boolean enabled,
        String disabledReason,
        List<String> eventTypes,
        List<String> channels,
        String ordering,
        Map<String, String> presetsByEventType,
        Instant createdAt,
        Instant updatedAt,
        String secret,
        List<String> publicKeys) {

    static EndpointView of(Endpoint endpoint, String secret) {
        return of(endpoint, secret, null);
    }

    /**
     * @param secret the secret to show once (a new {@code whsec_} secret), or null
     * @param publicKeys the {@code whpk_} public keys of its active {@code v1a} signing keys (public, shown on every
     *     read of one endpoint), or null where not read
     */
    static EndpointView of(Endpoint endpoint, String secret, List<String> publicKeys) {
        return new EndpointView(
                endpoint.id(),
                endpoint.applicationId(),
                endpoint.url().toString(),
                endpoint.description(),
                endpoint.retryProfile().spec(),
                endpoint.ackMatcher().spec(),
                endpoint.timeout().toMillis(),
                endpoint.maxConcurrency(),
                endpoint.ratePerSecond(),
                shown(endpoint.headers()),
                endpoint.headers().keySet().stream()
                        .filter(UserHeaders::isCredential)
                        .sorted()
                        .toList(),
                endpoint.enabled(),
                endpoint.disabledReason(),
                endpoint.subscription().eventTypes(),
                endpoint.subscription().channels(),
                endpoint.ordering().spec(),
                presetNames(endpoint.settings().presetsByEventType()),
                endpoint.createdAt(),
                endpoint.updatedAt(),
                secret,
                publicKeys == null || publicKeys.isEmpty() ? null : publicKeys);
    }

    private static Map<String, String> presetNames(Map<String, Preset> presets) {
        Map<String, String> names = new TreeMap<>();
        presets.forEach((pattern, preset) -> names.put(pattern, preset.spec()));
        return names;
    }

    private static Map<String, String> shown(Map<String, String> headers) {
        Map<String, String> shown = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (!UserHeaders.isCredential(name)) {
                shown.put(name, value);
            }
        });
        return shown;
    }
}
