package dev.courier.outbox.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.outbox.internal.InboxBuilder;
import dev.courier.outbox.internal.OutboxBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class OutboxPropertiesTest {

    @Test
    void defaultsAreThoseOfThePlainJavaBuilders() {
        OutboxProperties properties = bind(Map.of());

        assertThat(properties.table()).isEqualTo(OutboxBuilder.DEFAULT_TABLE);
        assertThat(properties.partitions()).isEqualTo(OutboxBuilder.DEFAULT_PARTITIONS);
        assertThat(properties.maxPayloadSize().toBytes()).isEqualTo(OutboxBuilder.DEFAULT_MAX_PAYLOAD_BYTES);
        assertThat(properties.inbox().table()).isEqualTo(InboxBuilder.DEFAULT_TABLE);
        assertThat(properties.inbox().consumer()).isEqualTo(InboxBuilder.DEFAULT_CONSUMER);
        assertThat(properties.wakeUp().enabled()).isTrue();
        assertThat(properties.wakeUp().channel()).isNull();
    }

    @Test
    void bindsRelaxedNamesAndRejectsBadValuesNamingTheProperty() {
        assertThat(bind(Map.of("courier.outbox.max-payload-size", "256KB"))
                        .maxPayloadSize()
                        .toBytes())
                .isEqualTo(256 * 1024);
        assertThatThrownBy(() -> bind(Map.of("courier.outbox.wake-up.channel", "bad-channel")))
                .rootCause()
                .hasMessageContaining("courier.outbox.wake-up.channel must be a plain SQL identifier");
        assertThatThrownBy(() -> bind(Map.of("courier.outbox.max-payload-size", "0B")))
                .rootCause()
                .hasMessageContaining("courier.outbox.max-payload-size must be positive");
    }

    private static OutboxProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("courier.outbox", OutboxProperties.class);
    }
}
