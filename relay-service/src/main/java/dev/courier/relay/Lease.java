package dev.courier.relay;

/** Ownership of one outbox partition: valid while the lease row still names this owner with this epoch. */
public record Lease(int partition, long epoch) {}
