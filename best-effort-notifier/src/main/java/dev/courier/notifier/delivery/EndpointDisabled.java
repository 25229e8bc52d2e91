package dev.courier.notifier.delivery;

import java.util.UUID;

/**
 * An application event: the notifier disabled an endpoint, because it answered {@code 410 Gone} or because it had
 * been failing for longer than {@code courier.notifier.auto-disable-after}.
 *
 * @param applicationId its application, or null
 * @param reason as shown on the endpoint
 */
public record EndpointDisabled(UUID endpointId, String applicationId, String reason) {}
