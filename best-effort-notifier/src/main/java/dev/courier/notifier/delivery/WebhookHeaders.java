package dev.courier.notifier.delivery;

import dev.courier.notifier.signing.WebhookSigner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers of one delivery: the endpoint's and the notification's own (the latter win), then the Standard
 * Webhooks headers, which users cannot override; the trace context follows from {@link DeliveryObservation}.
 */
final class WebhookHeaders {

    private WebhookHeaders() {}

    static Map<String, String> of(Claim claim, List<String> secrets, long timestampSeconds) {
        Map<String, String> headers = new LinkedHashMap<>(claim.endpoint().headers());
        headers.putAll(claim.headers());
        String id = claim.webhookId().toString();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        headers.put("webhook-signature", WebhookSigner.sign(id, timestampSeconds, claim.body(), secrets));
        // The trace context headers are written by DeliveryObservation, which users cannot override either.
        headers.remove("traceparent");
        headers.remove("tracestate");
        return headers;
    }
}
