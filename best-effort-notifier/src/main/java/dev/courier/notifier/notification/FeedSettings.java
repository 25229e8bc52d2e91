package dev.courier.notifier.notification;

import java.time.Duration;

/**
 * What the notification feed takes from the notifier's settings.
 *
 * @param settle how old a notification must be before the feed lists it, so that a page never skips one that
 *     committed late
 */
public record FeedSettings(Duration settle) {}
