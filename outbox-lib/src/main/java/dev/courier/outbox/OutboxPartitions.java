package dev.courier.outbox;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The stable mapping from aggregate id to outbox partition, shared by writers and relays. It must never change
 * between versions: rows already written keep the partition computed here.
 */
public final class OutboxPartitions {

    /** Upper bound of the partition count, far above any sensible number of relay instances. */
    public static final int MAX_PARTITIONS = 4096;

    private OutboxPartitions() {}

    /** CRC-32C of the UTF-8 bytes of {@code aggregateId}, modulo {@code partitions}. */
    public static int partitionOf(String aggregateId, int partitions) {
        requireValidCount(partitions, "partitions");
        CRC32C crc = new CRC32C();
        crc.update(aggregateId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /** Validates a partition count; {@code what} names the setting in the message. */
    public static int requireValidCount(int partitions, String what) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    what + " must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
        }
        return partitions;
    }
}
