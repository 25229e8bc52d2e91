package dev.courier.outbox.internal;

/**
 * Validated settings of an outbox.
 *
 * @param wakeUpChannel the NOTIFY channel, or {@code null} when no wake-up is sent
 */
record OutboxSettings(String table, int partitions, long maxPayloadBytes, String wakeUpChannel) {}
