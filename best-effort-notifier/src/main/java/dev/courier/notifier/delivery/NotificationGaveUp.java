package dev.courier.notifier.delivery;

import java.util.UUID;

/**
 * Published (as a Spring application event) when a notification gives up: its profile is used up or the receiver
 * answered {@code 410 Gone}. Listeners can alert or open a ticket; the notification stays queryable and redeliverable.
 */
public record NotificationGaveUp(UUID notificationId, UUID endpointId, int attempts, String lastError) {}
