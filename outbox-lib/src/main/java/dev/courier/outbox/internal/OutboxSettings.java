package dev.courier.outbox.internal;

/**
 * Validated settings of an outbox.
 *
 * @param deleteAfterInsert whether rows are deleted right after their insert, in the same transaction (cdc mode)
 */
record OutboxSettings(String table, int partitions, long maxPayloadBytes, boolean deleteAfterInsert) {}
