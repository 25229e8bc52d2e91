package dev.courier.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {

    @Test
    void commitsByHandAndReadsFromTheBeginningByDefault() {
        Map<String, Object> settings = ConsumerSettings.of(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092"));

        assertThat(settings)
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, ConsumerSettings.DEFAULT_GROUP)
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
    }

    @Test
    void keepsTheClientSettingsOverTheDefaults() {
        Map<String, Object> settings = ConsumerSettings.of(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "payments-notifier",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                "security.protocol",
                "SASL_SSL",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"));

        assertThat(settings)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "payments-notifier")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void readsBytesWhateverDeserializerSpringBootDefaultsTo() {
        Map<String, Object> settings = ConsumerSettings.of(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));

        assertThat(settings)
                .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)
                .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    @Test
    void refusesAutomaticCommits() {
        assertThatThrownBy(() -> ConsumerSettings.of(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true)))
                .hasMessageContaining("spring.kafka.consumer.enable-auto-commit");
    }
}
