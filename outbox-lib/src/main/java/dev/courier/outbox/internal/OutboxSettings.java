package dev.courier.outbox.internal;

/**
 * Validated settings of an outbox.
 *
 * @param wakeUpChannel the NOTIFY channel, or {@code null} when no wake-up is sent
 * @param deleteAfterInsert whether rows are deleted right after their insert, in the same transaction (cdc mode)
 */
record OutboxSettings(
        String table, int partitions, long maxPayloadBytes, String wakeUpChannel, boolean deleteAfterInsert) {}
