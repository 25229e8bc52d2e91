package dev.courier.relay.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay's producer configuration: the application's Kafka client settings (Spring Boot's {@code spring.kafka.*}:
 * servers, security, client id, extra properties), the relay's tuning where those are silent, and on top the rules
 * the delivery guarantee rests on, which no setting can weaken.
 */
public final class ProducerSettings {

    private ProducerSettings() {}

    /**
     * @param client the producer settings Spring Boot resolved from {@code spring.kafka.*}
     * @param sendTimeout Kafka's {@code delivery.timeout.ms}: how long a record may take to be acknowledged
     * @throws IllegalArgumentException naming the setting, when one would weaken durability or key order
     */
    public static Map<String, Object> of(Map<String, Object> client, Duration sendTimeout) {
        require(client, ProducerConfig.ACKS_CONFIG, "acks", List.of("all", "-1"));
        require(client, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "properties.enable.idempotence", List.of("true"));
        Object inFlight = client.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && !atMostFive(inFlight)) {
            throw new IllegalArgumentException("spring.kafka.producer.properties."
                    + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    + " must be a number from 1 to 5 (more would break key order on retries), was '" + inFlight
                    + "'");
        }
        if (client.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            throw new IllegalArgumentException("spring.kafka.producer.properties."
                    + ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG
                    + " is the relay's courier.relay.failure.send-timeout: set that instead");
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(10_000, sendTimeout.toMillis() / 2));
        settings.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        settings.putAll(client);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
        // Outbox payloads and keys are bytes already; Spring Boot's default String serializers do not apply.
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
    }

    private static boolean atMostFive(Object value) {
        try {
            int count = Integer.parseInt(value.toString().trim());
            return count >= 1 && count <= 5;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void require(Map<String, Object> client, String name, String springKey, List<String> allowed) {
        Object value = client.get(name);
        if (value != null && !allowed.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("spring.kafka.producer." + springKey + " cannot be changed from "
                    + allowed.getFirst() + " (the relay's delivery guarantee depends on it), was '" + value + "'");
        }
    }
}
