package dev.courier.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding as Spring Boot does at start-up: a bad value fails with a message naming the property. */
class RelayPropertiesTest {

    @Test
    void bindsDefaults() {
        RelayProperties properties = bind(Map.of());

        assertThat(properties.outbox().table()).isEqualTo("courier_outbox");
        assertThat(properties.outbox().partitions()).isEqualTo(32);
        assertThat(properties.outbox().notifyChannel()).isEqualTo("courier_outbox");
        assertThat(properties.kafka().topicPrefix()).isEqualTo("outbox.event.");
        assertThat(properties.poll().batchSize()).isEqualTo(500);
        assertThat(properties.failure().maxAttempts()).isEqualTo(5);
        assertThat(properties.outbox().retains()).isFalse();
    }

    @Test
    void refusesAnAdminTokenShorterThanSixteenCharactersOrWithSpaces() {
        for (String token : new String[] {"short-token", "fifteen-chars-x", "sixteen chars ok"}) {
            assertThatThrownBy(() -> bind(Map.of("courier.relay.admin.token", token)))
                    .rootCause()
                    .hasMessageContaining("courier.relay.admin.token");
        }
        assertThat(bind(Map.of("courier.relay.admin.token", "sixteen-chars-ok"))
                        .admin()
                        .token())
                .isEqualTo("sixteen-chars-ok");
    }

    @Test
    void namesTheMissingOrBadProperty() {
        assertThatThrownBy(() -> bind(Map.of("courier.relay.outbox.partitions", "0")))
                .rootCause()
                .hasMessageContaining("courier.relay.outbox.partitions");
        assertThatThrownBy(() -> bind(Map.of(
                        "courier.relay.lease.ttl", "2s",
                        "courier.relay.lease.renew-interval", "2s")))
                .rootCause()
                .hasMessageContaining("courier.relay.lease.renew-interval");
        assertThatThrownBy(() -> bind(Map.of("courier.relay.outbox.retention", "-1s")))
                .rootCause()
                .hasMessageContaining("courier.relay.outbox.retention");
        assertThatThrownBy(() -> bind(Map.of("courier.relay.member-id", "relay#1")))
                .rootCause()
                .hasMessageContaining("courier.relay.member-id");
    }

    private static RelayProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("courier.relay", RelayProperties.class);
    }
}
