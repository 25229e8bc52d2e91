package dev.courier.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks at-least-once delivery in key order. Each test message's payload is {@code "<key>:<n>"} with n counting
 * from 0 per key in commit order. Per key, the consumer must see 0, 1, 2, ... for the first time in that order; a
 * duplicate is allowed only of a number already seen (a re-delivered prefix after a crash or hand-over).
 */
public final class KeyOrder {

    private final Map<String, Integer> nextExpected = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int duplicates;

    public static byte[] payload(String key, int n) {
        return (key + ":" + n).getBytes(StandardCharsets.UTF_8);
    }

    public static KeyOrder check(List<ConsumerRecord<byte[], byte[]>> records) {
        KeyOrder order = new KeyOrder();
        records.forEach(order::accept);
        return order;
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(":");
        int n = Integer.parseInt(parts[1]);
        int expected = nextExpected.getOrDefault(key, 0);
        if (n == expected) {
            nextExpected.put(key, expected + 1);
        } else if (n < expected) {
            duplicates++;
        } else {
            violations.add("key " + key + ": got " + n + " before " + expected);
        }
    }

    /** Keys whose first occurrences were out of order or had a gap. */
    public List<String> violations() {
        return violations;
    }

    public int duplicates() {
        return duplicates;
    }

    /** Whether each of {@code keys} keys arrived complete: its first {@code perKey} numbers, in order. */
    public boolean isComplete(int keys, int perKey) {
        return violations.isEmpty()
                && nextExpected.size() == keys
                && nextExpected.values().stream().allMatch(seen -> seen == perKey);
    }

    /** Asserts {@link #isComplete}, with messages that show which key went wrong. */
    public void assertComplete(int keys, int perKey) {
        assertThat(violations).isEmpty();
        assertThat(nextExpected)
                .hasSize(keys)
                .allSatisfy((key, seen) -> assertThat(seen).isEqualTo(perKey));
    }

    /** Distinct messages seen per key. */
    public Map<String, Integer> seenPerKey() {
        return nextExpected;
    }
}
