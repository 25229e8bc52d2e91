package dev.courier.rocketmq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testsupport.settings.SettingsErrors;
import dev.courier.testsupport.settings.SettingsMetadata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Binding as Spring Boot does at start-up: bad values fail it, all of them reported at once against their property. */
class RocketMqPropertiesTest {

    static final ApplicationContextRunner BINDING = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @EnableConfigurationProperties(RocketMqProperties.class)
    static class Binding {}

    @Test
    void defaultsNeedNoNameServer() {
        RocketMqProperties properties = SettingsErrors.bind(BINDING, RocketMqProperties.class);

        assertThat(properties.nameServer()).isNull();
        assertThat(properties.fence().table()).isEqualTo("courier_tx_fence");
        assertThat(properties.fence().retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void reportsEveryBadValueAtOnceEachAgainstItsProperty() {
        SettingsErrors errors = SettingsErrors.of(
                BINDING,
                "courier.rocketmq.name-server=127.0.0.1:9876",
                "courier.rocketmq.check-threads=0",
                "courier.rocketmq.fence.table=tx-fence",
                "courier.rocketmq.fence.retention=30m");

        assertThat(errors.properties())
                .containsExactlyInAnyOrder(
                        "courier.rocketmq.group",
                        "courier.rocketmq.check-threads",
                        "courier.rocketmq.fence.table",
                        "courier.rocketmq.fence.retention");
        assertThat(errors.message("courier.rocketmq.fence.retention")).contains("at least 1h");
        assertThat(errors.report()).contains("Property: courier.rocketmq.fence.table");
    }

    @Test
    void theMetadataDocumentsEverySettingAndHintsValues() {
        SettingsMetadata metadata = SettingsMetadata.of("courier.rocketmq.");

        assertThat(metadata.undocumented()).isEmpty();
        assertThat(metadata.valueHints("courier.rocketmq.name-server")).contains("127.0.0.1:9876");
        assertThat(metadata.valueHints("courier.rocketmq.fence.retention")).contains("7d");
    }
}
