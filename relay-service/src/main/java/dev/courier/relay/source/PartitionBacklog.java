package dev.courier.relay.source;

import java.time.Instant;

/** Rows waiting in one partition, and the creation time of the oldest. */
public record PartitionBacklog(int partition, long rows, Instant oldestCreatedAt) {}
