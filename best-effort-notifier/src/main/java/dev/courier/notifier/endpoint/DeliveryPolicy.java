package dev.courier.notifier.endpoint;

import dev.courier.notifier.schedule.RetryProfile;

/** How one notification is delivered: when it is tried again, and what answer acknowledges it. */
public record DeliveryPolicy(RetryProfile retryProfile, AckMatcher ackMatcher) {}
