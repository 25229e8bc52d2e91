package dev.courier.notifier.endpoint;

import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The validated, complete settings of an endpoint, as written on create and on update. */
public record EndpointSettings(
        URI url,
        String description,
        RetryProfile retryProfile,
        AckMatcher ackMatcher,
        Duration timeout,
        int maxConcurrency,
        int ratePerSecond,
        Map<String, String> headers,
        boolean enabled) {

    static EndpointSettings of(Endpoint endpoint) {
        return new EndpointSettings(
                endpoint.url(),
                endpoint.description(),
                endpoint.retryProfile(),
                endpoint.ackMatcher(),
                endpoint.timeout(),
                endpoint.maxConcurrency(),
                endpoint.ratePerSecond(),
                endpoint.headers(),
                endpoint.enabled());
    }
}
