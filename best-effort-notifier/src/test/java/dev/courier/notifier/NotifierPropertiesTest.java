package dev.courier.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class NotifierPropertiesTest {

    private static NotifierProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("courier.notifier", NotifierProperties.class);
    }

    @Test
    void defaultsAreSane() {
        NotifierProperties properties = bind(Map.of());

        assertThat(properties.lease()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(properties.maxEndpointTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(properties.ssrf().enabled()).isTrue();
        assertThat(properties.ssrf().allow()).isEmpty();
        assertThat(properties.kafka().enabled()).isFalse();
        assertThat(properties.instanceId()).isNotBlank();
    }

    @Test
    void badValuesFailNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("courier.notifier.api-token", "short")))
                .rootCause()
                .hasMessageContaining("courier.notifier.api-token");
        assertThatThrownBy(() -> bind(Map.of("courier.notifier.lease", "10s")))
                .rootCause()
                .hasMessageContaining("courier.notifier.lease (PT10S) must be at least twice");
        assertThatThrownBy(() -> bind(Map.of("courier.notifier.batch-size", "0")))
                .rootCause()
                .hasMessageContaining("courier.notifier.batch-size");
        assertThatThrownBy(() -> bind(Map.of("courier.notifier.kafka.rules[0].topic", "payments")))
                .rootCause()
                .hasMessageContaining("rules[0] needs exactly one of endpoint-id and endpoint-header");
        assertThatThrownBy(() -> bind(Map.of("courier.notifier.circuit.failure-rate-threshold", "0")))
                .rootCause()
                .hasMessageContaining("failure-rate-threshold");
    }
}
