package dev.courier.notifier.endpoint;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/endpoints} and {@code PATCH /api/endpoints/{id}}. On create, absent fields take their
 * defaults; on update, absent fields keep their values.
 *
 * @param secret a {@code whsec_} secret of the user's choice; generated when absent on create
 * @param eventTypes the event types of its application's messages it receives ({@link Subscription}); empty: all
 * @param channels the channels it receives; empty: any
 * @param ordering {@code none}, {@code ordered} or {@code ordered-stop} ({@link Ordering})
 * @param preset a {@link Preset}: its retry profile and acknowledgement matcher, unless the request sets those too
 * @param presetsByEventType presets for the notifications of some event types (pattern to preset name); replaces all
 * @param signatureScheme on create without {@code secret}: {@code v1} (HMAC, a shared secret; the default) or
 *     {@code v1a} (Ed25519: the notifier keeps the private key, the receiver gets the public key)
 */
public record EndpointRequest(
        String url,
        String description,
        String retryProfile,
        String ackMatcher,
        Integer timeoutMs,
        Integer maxConcurrency,
        Integer ratePerSecond,
        Map<String, String> headers,
        Boolean enabled,
        String secret,
        List<String> eventTypes,
        List<String> channels,
        String ordering,
        String signatureScheme,
        String preset,
        Map<String, String> presetsByEventType) {}
