package dev.courier.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboxPartitionsTest {

    /**
     * Rows already written keep their partition, so the mapping is a compatibility contract: these values were
     * computed once (CRC-32C of the UTF-8 bytes) and must never change.
     */
    @Test
    void mappingIsStableAcrossVersions() {
        assertThat(OutboxPartitions.partitionOf("order-1", 32)).isEqualTo(crc32cMod("order-1", 32));
        assertThat(OutboxPartitions.partitionOf("", 32)).isZero();
        assertThat(OutboxPartitions.partitionOf("anything", 1)).isZero();
    }

    @Test
    void spreadsIdsEvenlyOverPartitions() {
        int partitions = 32;
        int[] counts = new int[partitions];
        IntStream.range(0, 32_000).forEach(i -> counts[OutboxPartitions.partitionOf("order-" + i, partitions)]++);

        assertThat(IntStream.of(counts).min().orElseThrow()).isGreaterThan(800);
        assertThat(IntStream.of(counts).max().orElseThrow()).isLessThan(1200);
    }

    @Test
    void rejectsCountsOutsideTheSupportedRange() {
        assertThatThrownBy(() -> OutboxPartitions.partitionOf("x", 0))
                .hasMessage("partitions must be between 1 and 4096, was 0");
        assertThatThrownBy(() -> OutboxPartitions.requireValidCount(4097, "courier.relay.partitions"))
                .hasMessage("courier.relay.partitions must be between 1 and 4096, was 4097");
    }

    /** An independent implementation of CRC-32C (Castagnoli, reflected, polynomial 0x82F63B78). */
    private static int crc32cMod(String text, int partitions) {
        int crc = 0xFFFFFFFF;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            crc ^= b & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
        }
        return (int) (Integer.toUnsignedLong(~crc) % partitions);
    }
}
