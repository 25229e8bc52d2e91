package dev.courier.notifier.endpoint;

import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validated, complete settings of an endpoint, as written on create and on update, and as an {@link Endpoint}
 * carries them. {@link #toString()} masks the values of credential headers ({@link UserHeaders#isCredential}), so
 * that settings written into a log or an exception message never carry them.
 *
 * @param headers sent with every notification to this endpoint (a notification's own headers override them)
 * @param subscription which messages of its application the endpoint receives (notifications addressed to the
 *     endpoint itself always reach it)
 * @param ordering whether deliveries of one ordering key go one at a time, in acceptance order
 * @param presetsByEventType presets for the notifications of some event types (patterns as in {@link Subscription}),
 *     instead of {@code retryProfile} and {@code ackMatcher}
 */
public record EndpointSettings(
        URI url,
        String description,
        RetryProfile retryProfile,
        AckMatcher ackMatcher,
        Duration timeout,
        int maxConcurrency,
        int ratePerSecond,
        Map<String, String> headers,
        boolean enabled,
        Subscription subscription,
        Ordering ordering,
        Map<String, Preset> presetsByEventType) {

    /**
     * How a notification of {@code eventType} is delivered: the preset of the most specific matching pattern of
     * {@link #presetsByEventType}, else the endpoint's retry profile and acknowledgement matcher.
     */
    public DeliveryPolicy policyFor(String eventType) {
        Preset chosen = null;
        int best = -1;
        for (Map.Entry<String, Preset> entry : presetsByEventType.entrySet()) {
            int specificity = Subscription.specificity(entry.getKey(), eventType);
            if (specificity > best) {
                best = specificity;
                chosen = entry.getValue();
            }
        }
        return chosen != null ? chosen.policy() : new DeliveryPolicy(retryProfile, ackMatcher);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        (headers == null ? Map.<String, String>of() : headers)
                .forEach((name, value) -> shown.put(name, UserHeaders.isCredential(name) ? "******" : value));
        return "url=" + url + ", description=" + description + ", retryProfile=" + retryProfile + ", ackMatcher="
                + ackMatcher + ", timeout=" + timeout + ", maxConcurrency=" + maxConcurrency + ", ratePerSecond="
                + ratePerSecond + ", headers=" + shown + ", enabled=" + enabled + ", subscription=" + subscription
                + ", ordering=" + ordering;
    }
}
