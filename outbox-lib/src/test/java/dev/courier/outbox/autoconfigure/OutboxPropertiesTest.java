package dev.courier.outbox.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.internal.InboxBuilder;
import dev.courier.outbox.internal.OutboxBuilder;
import dev.courier.testsupport.settings.SettingsErrors;
import dev.courier.testsupport.settings.SettingsMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
        assertThat(properties.wakeUp().interval()).isEqualTo(OutboxBuilder.DEFAULT_WAKE_UP_INTERVAL);
    }

    @Test
    void bindsRelaxedNames() {
        assertThat(bind(Map.of("courier.outbox.max-payload-size", "256KB"))
                        .maxPayloadSize()
                        .toBytes())
                .isEqualTo(256 * 1024);
    }

    @Test
    void reportsEveryBadValueAtOnceEachAgainstItsProperty() {
        SettingsErrors errors = failure(
                "courier.outbox.wake-up.channel=bad-channel",
                "courier.outbox.wake-up.interval=10us",
                "courier.outbox.max-payload-size=0B",
                "courier.outbox.partitions=0",
                "courier.outbox.inbox.retention=-1s");

        assertThat(errors.properties())
                .containsExactlyInAnyOrder(
                        "courier.outbox.wake-up.channel",
                        "courier.outbox.wake-up.interval",
                        "courier.outbox.max-payload-size",
                        "courier.outbox.partitions",
                        "courier.outbox.inbox.retention");
        assertThat(errors.message("courier.outbox.wake-up.channel")).contains("must be a plain SQL identifier");
        assertThat(errors.message("courier.outbox.max-payload-size")).contains("must be positive");
        assertThat(errors.message("courier.outbox.wake-up.interval")).contains("between 100us and 1s");
        assertThat(errors.report())
                .contains("Property: courier.outbox.partitions")
                .contains("Value: \"0\"");
    }

    private static OutboxProperties bind(Map<String, String> values) {
        return SettingsErrors.bind(
                BINDING,
                OutboxProperties.class,
                values.entrySet().stream()
                        .map(entry -> entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
    }

    private static SettingsErrors failure(String... values) {
        return SettingsErrors.of(BINDING, values);
    }

    private static final ApplicationContextRunner BINDING =
            new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @EnableConfigurationProperties(OutboxProperties.class)
    static class Binding {}

    @Test
    void theMetadataDocumentsEverySettingAndHintsValues() {
        SettingsMetadata metadata = SettingsMetadata.of("courier.outbox.");

        assertThat(metadata.undocumented()).isEmpty();
        assertThat(metadata.valueHints("courier.outbox.partitions")).contains(32, 64);
        assertThat(metadata.valueHints("courier.outbox.max-payload-size")).contains("1MB");
    }
}
