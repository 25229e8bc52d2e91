package dev.courier.notifier.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The intake's consumer configuration: the application's Kafka client settings (Spring Boot's {@code spring.kafka.*}:
 * servers, security, group, client id, extra properties), the intake's defaults where those are silent, and on top
 * what the intake's guarantee rests on: offsets are committed by the intake after storing, never automatically.
 */
public final class ConsumerSettings {

    /** The consumer group of every notifier instance unless {@code spring.kafka.consumer.group-id} names another. */
    public static final String DEFAULT_GROUP = "courier-notifier";

    private ConsumerSettings() {}

    /**
     * @param client the consumer settings Spring Boot resolved from {@code spring.kafka.*}
     * @throws IllegalArgumentException naming the setting, when automatic commits are asked for
     */
    public static Map<String, Object> of(Map<String, Object> client) {
        Object autoCommit = client.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString().trim())) {
            throw new IllegalArgumentException("spring.kafka.consumer.enable-auto-commit cannot be true for the"
                    + " notifier's intake: it commits a record's offset once the notification is stored, and an"
                    + " automatic commit could pass records that were never stored");
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        settings.putAll(client);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Bodies and keys are taken as bytes; Spring Boot's default String deserializers do not apply.
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }
}
