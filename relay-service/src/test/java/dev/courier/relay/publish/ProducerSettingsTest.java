package dev.courier.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    @Test
    void isDurableAndIdempotentByDefault() {
        Map<String, Object> settings = ProducerSettings.of("k:9092", Map.of(), Duration.ofSeconds(30));

        assertThat(settings)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
    }

    @Test
    void passesOtherSettingsThrough() {
        Map<String, Object> settings = ProducerSettings.of(
                "k:9092", Map.of("compression.type", "zstd", "acks", "all"), Duration.ofSeconds(30));

        assertThat(settings).containsEntry("compression.type", "zstd");
    }

    @Test
    void refusesSettingsThatWouldWeakenTheGuarantees() {
        assertThatThrownBy(() -> ProducerSettings.of("k:9092", Map.of("acks", "1"), Duration.ofSeconds(30)))
                .hasMessageContaining("courier.relay.kafka.producer.acks");
        assertThatThrownBy(() ->
                        ProducerSettings.of("k:9092", Map.of("enable.idempotence", "false"), Duration.ofSeconds(30)))
                .hasMessageContaining("courier.relay.kafka.producer.enable.idempotence");
        assertThatThrownBy(() -> ProducerSettings.of(
                        "k:9092", Map.of("max.in.flight.requests.per.connection", "6"), Duration.ofSeconds(30)))
                .hasMessageContaining("at most 5");
    }
}
