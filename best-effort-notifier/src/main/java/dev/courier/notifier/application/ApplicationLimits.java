package dev.courier.notifier.application;

/**
 * An application's share of one instance's deliveries, across all its endpoints: what keeps one tenant's burst or
 * dead endpoints from slowing another's. Each endpoint keeps its own limits within it.
 *
 * @param applicationId the application
 * @param ratePerSecond the most requests per second to all its endpoints together
 * @param maxConcurrency the most requests in flight to all its endpoints together
 */
public record ApplicationLimits(String applicationId, int ratePerSecond, int maxConcurrency) {}
