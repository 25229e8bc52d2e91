package dev.courier.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testsupport.settings.SettingsErrors;
import dev.courier.testsupport.settings.SettingsMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Binding as Spring Boot does at start-up: bad values fail it, all of them reported at once against their property. */
class RelayPropertiesTest {

    static final ApplicationContextRunner BINDING = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @EnableConfigurationProperties(RelayProperties.class)
    static class Binding {}

    @Test
    void bindsDefaults() {
        RelayProperties properties = SettingsErrors.bind(BINDING, RelayProperties.class);

        assertThat(properties.outbox().table()).isEqualTo("courier_outbox");
        assertThat(properties.outbox().partitions()).isEqualTo(32);
        assertThat(properties.outbox().notifyChannel()).isEqualTo("courier_outbox");
        assertThat(properties.kafka().topicPrefix()).isEqualTo("outbox.event.");
        assertThat(properties.poll().batchSize()).isEqualTo(500);
        assertThat(properties.failure().maxAttempts()).isEqualTo(5);
        assertThat(properties.outbox().retains()).isFalse();
        assertThat(properties.admin().token()).isNull();
    }

    @Test
    void refusesAnAdminTokenShorterThanSixteenCharactersOrWithSpacesWithoutPrintingIt() {
        for (String token : new String[] {"short-token", "fifteen-chars-x", "sixteen chars ok"}) {
            SettingsErrors errors = SettingsErrors.of(BINDING, "courier.relay.admin.token=" + token);

            assertThat(errors.messages()).singleElement().asString().contains("courier.relay.admin.token");
            assertThat(errors.report()).contains("courier.relay.admin.token").doesNotContain(token);
        }
        assertThat(SettingsErrors.bind(BINDING, RelayProperties.class, "courier.relay.admin.token=sixteen-chars-ok")
                        .admin()
                        .token())
                .isEqualTo("sixteen-chars-ok");
    }

    @Test
    void reportsEveryBadValueAtOnceEachAgainstItsProperty() {
        SettingsErrors errors = SettingsErrors.of(
                BINDING,
                "courier.relay.outbox.partitions=0",
                "courier.relay.lease.ttl=2s",
                "courier.relay.lease.renew-interval=2s",
                "courier.relay.outbox.retention=-1s",
                "courier.relay.member-id=relay#1",
                "courier.relay.poll.batch-size=0",
                "courier.relay.cdc.slot=Bad-Slot",
                "courier.relay.failure.send-timeout=0s",
                "courier.relay.kafka.id-header=type");

        assertThat(errors.properties())
                .containsExactlyInAnyOrder(
                        "courier.relay.outbox.partitions",
                        "courier.relay.lease.renew-interval",
                        "courier.relay.outbox.retention",
                        "courier.relay.member-id",
                        "courier.relay.poll.batch-size",
                        "courier.relay.cdc.slot",
                        "courier.relay.failure.send-timeout",
                        "courier.relay.kafka.id-header");
        assertThat(errors.message("courier.relay.lease.renew-interval")).contains("at most half of");
        assertThat(errors.report()).contains("Property: courier.relay.cdc.slot").contains("Value: \"Bad-Slot\"");
    }

    @Test
    void theMetadataDocumentsEverySettingHintsValuesAndNamesTheReplacementOfEachOldKey() {
        SettingsMetadata metadata = SettingsMetadata.of("courier.relay.");

        assertThat(metadata.undocumented()).isEmpty();
        assertThat(metadata.valueHints("courier.relay.outbox.partitions")).contains(32);
        assertThat(metadata.keyHints("courier.relay.cdc.debezium")).contains("snapshot.mode");
        assertThat(metadata.property("courier.relay.datasource.url")
                        .getDeprecation()
                        .getReplacement())
                .isEqualTo("spring.datasource.url");
        assertThat(metadata.property("courier.relay.kafka.producer")
                        .getDeprecation()
                        .getReplacement())
                .isEqualTo("spring.kafka.producer.properties");
    }
}
