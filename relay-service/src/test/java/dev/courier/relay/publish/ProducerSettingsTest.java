package dev.courier.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void isDurableAndIdempotentByDefault() {
        Map<String, Object> settings =
                ProducerSettings.of(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092"), SEND_TIMEOUT);

        assertThat(settings)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
    }

    @Test
    void keepsTheClientSettingsOverTheRelaysTuning() {
        Map<String, Object> settings = ProducerSettings.of(
                Map.of(
                        "compression.type", "zstd",
                        "acks", "-1",
                        "linger.ms", 5,
                        "security.protocol", "SASL_SSL",
                        "client.id", "relay-7"),
                SEND_TIMEOUT);

        assertThat(settings)
                .containsEntry("compression.type", "zstd")
                .containsEntry("linger.ms", 5)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("client.id", "relay-7")
                .containsEntry("acks", "all");
    }

    @Test
    void sendsBytesWhateverSerializerSpringBootDefaultsTo() {
        Map<String, Object> settings = ProducerSettings.of(
                Map.of(
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                SEND_TIMEOUT);

        assertThat(settings)
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    @Test
    void refusesSettingsThatWouldWeakenTheGuarantees() {
        assertThatThrownBy(() -> ProducerSettings.of(Map.of("acks", "1"), SEND_TIMEOUT))
                .hasMessageContaining("spring.kafka.producer.acks");
        assertThatThrownBy(() -> ProducerSettings.of(Map.of("enable.idempotence", "false"), SEND_TIMEOUT))
                .hasMessageContaining("spring.kafka.producer.properties.enable.idempotence");
        assertThatThrownBy(
                        () -> ProducerSettings.of(Map.of("max.in.flight.requests.per.connection", "6"), SEND_TIMEOUT))
                .hasMessageContaining("from 1 to 5");
        assertThatThrownBy(() ->
                        ProducerSettings.of(Map.of("max.in.flight.requests.per.connection", "many"), SEND_TIMEOUT))
                .hasMessageContaining("from 1 to 5");
        assertThatThrownBy(() -> ProducerSettings.of(Map.of("delivery.timeout.ms", 1000), SEND_TIMEOUT))
                .hasMessageContaining("courier.relay.failure.send-timeout");
    }
}
