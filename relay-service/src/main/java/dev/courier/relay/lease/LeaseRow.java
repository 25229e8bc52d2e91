package dev.courier.relay.lease;

import java.time.Instant;

/** A lease as the table holds it, for operators. */
public record LeaseRow(int partition, String owner, long epoch, Instant expiresAt) {}
