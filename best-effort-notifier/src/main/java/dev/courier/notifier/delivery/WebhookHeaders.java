package dev.courier.notifier.delivery;

import dev.courier.notifier.signing.WebhookSigner;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The headers of one delivery: the endpoint's and the notification's own (the latter win), then the Standard
 * Webhooks headers and {@code traceparent}, which users cannot override.
 */
final class WebhookHeaders {

    private WebhookHeaders() {}

    static Map<String, String> of(Claim claim, List<String> secrets, long timestampSeconds) {
        Map<String, String> headers = new LinkedHashMap<>(claim.endpoint().headers());
        headers.putAll(claim.headers());
        String id = claim.notificationId().toString();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        headers.put("webhook-signature", WebhookSigner.sign(id, timestampSeconds, claim.body(), secrets));
        headers.put("traceparent", traceparent(claim));
        return headers;
    }

    /**
     * A child of the caller's trace context with a new span per attempt; without one, a trace whose id is the
     * notification id, so that every attempt of a notification shares one trace.
     */
    static String traceparent(Claim claim) {
        String traceId;
        String flags;
        if (claim.traceparent() != null) {
            traceId = claim.traceparent().substring(3, 35);
            flags = claim.traceparent().substring(53, 55);
        } else {
            traceId = claim.notificationId().toString().replace("-", "");
            flags = "01";
        }
        long span = ThreadLocalRandom.current().nextLong();
        return "00-" + traceId + "-" + HexFormat.of().toHexDigits(span == 0 ? 1 : span) + "-" + flags;
    }
}
