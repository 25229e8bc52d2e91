package dev.courier.relay.publish;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay's producer configuration: durable and ordered by default, tuned for fast failure detection, and closed
 * against settings that would weaken the guarantees.
 */
public final class ProducerSettings {

    private ProducerSettings() {}

    /**
     * @param overrides the user's settings ({@code courier.relay.kafka.producer.*})
     * @param sendTimeout Kafka's {@code delivery.timeout.ms}: how long a record may take to be acknowledged
     */
    public static Map<String, Object> of(String bootstrapServers, Map<String, String> overrides, Duration sendTimeout) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(10_000, sendTimeout.toMillis() / 2));
        settings.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        settings.putAll(overrides);
        require(overrides, ProducerConfig.ACKS_CONFIG, "all", "-1");
        require(overrides, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        String inFlight = overrides.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && Integer.parseInt(inFlight.trim()) > 5) {
            throw new IllegalArgumentException("courier.relay.kafka.producer."
                    + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    + " must be at most 5 (more would break key order on retries), was " + inFlight);
        }
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
    }

    private static void require(Map<String, String> overrides, String name, String... allowed) {
        String value = overrides.get(name);
        if (value != null && !Arrays.asList(allowed).contains(value.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("courier.relay.kafka.producer." + name + " cannot be changed from "
                    + allowed[0] + " (the relay's delivery guarantee depends on it), was '" + value + "'");
        }
    }
}
