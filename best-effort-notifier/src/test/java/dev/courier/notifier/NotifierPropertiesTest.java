package dev.courier.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testsupport.settings.SettingsErrors;
import dev.courier.testsupport.settings.SettingsMetadata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Binding as Spring Boot does at start-up: bad values fail it, all of them reported at once against their property. */
class NotifierPropertiesTest {

    static final ApplicationContextRunner BINDING = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @EnableConfigurationProperties(NotifierProperties.class)
    static class Binding {}

    @Test
    void defaultsAreSane() {
        NotifierProperties properties = SettingsErrors.bind(BINDING, NotifierProperties.class);

        assertThat(properties.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.maxEndpointTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.ssrf().enabled()).isTrue();
        assertThat(properties.ssrf().allow()).isEmpty();
        assertThat(properties.kafka().enabled()).isFalse();
        assertThat(properties.instanceId()).isNotBlank();
    }

    @Test
    void thePortalTakesOnlyOriginsAnAddressAndAShortLifetime() {
        SettingsErrors errors = SettingsErrors.of(
                BINDING,
                // A policy injected through an origin would open the pages to scripts from anywhere.
                "courier.notifier.portal.frame-origins=https://shop.example; script-src *",
                "courier.notifier.portal.public-url=https://webhooks.example/#x",
                "courier.notifier.portal.link-lifetime=2d");
        assertThat(errors.properties())
                .containsExactlyInAnyOrder(
                        "courier.notifier.portal.frame-origins",
                        "courier.notifier.portal.public-url",
                        "courier.notifier.portal.link-lifetime");

        NotifierProperties fine = SettingsErrors.bind(
                BINDING,
                NotifierProperties.class,
                "courier.notifier.portal.frame-origins=https://shop.example,https://*.example.com:8443,http://localhost:*",
                "courier.notifier.portal.public-url=https://webhooks.example");
        assertThat(fine.portal().frameOrigins()).hasSize(3);
        assertThat(fine.portal().linkLifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void reportsEveryBadValueAtOnceEachAgainstItsProperty() {
        SettingsErrors errors = SettingsErrors.of(
                BINDING,
                "courier.notifier.lease=10s",
                "courier.notifier.batch-size=0",
                "courier.notifier.circuit.failure-rate-threshold=0",
                "courier.notifier.kafka.rules[0].topic=payments",
                "courier.notifier.kafka.rules[1].topic=bad topic",
                "courier.notifier.kafka.rules[1].endpoint-header=merchant",
                "courier.notifier.kafka.rules[2].topic=orders",
                "courier.notifier.kafka.rules[2].application=shop-1",
                "courier.notifier.kafka.rules[2].endpoint-header=merchant",
                "courier.notifier.kafka.rules[3].topic=invoices",
                "courier.notifier.kafka.rules[3].application-header=merchant");

        assertThat(errors.properties())
                .containsExactlyInAnyOrder(
                        "courier.notifier.lease",
                        "courier.notifier.batch-size",
                        "courier.notifier.circuit.failure-rate-threshold",
                        "courier.notifier.kafka.rules[0].endpoint-id",
                        "courier.notifier.kafka.rules[1].topic",
                        "courier.notifier.kafka.rules[2].endpoint-id");
        assertThat(errors.message("courier.notifier.lease")).contains("(PT10S) must be at least twice");
        assertThat(errors.message("courier.notifier.kafka.rules[0].endpoint-id"))
                .contains("rules[0] needs exactly one of endpoint-id, endpoint-header, application and"
                        + " application-header");
        assertThat(errors.report()).contains("Property: courier.notifier.batch-size");
    }

    @Test
    void refusesAWeakApiTokenWithoutPrintingIt() {
        SettingsErrors errors = SettingsErrors.of(BINDING, "courier.notifier.api-token=short-secret");

        assertThat(errors.messages()).singleElement().asString().contains("courier.notifier.api-token");
        assertThat(errors.report()).contains("courier.notifier.api-token").doesNotContain("short-secret");
    }

    @Test
    void theMetadataDocumentsEverySettingHintsValuesAndNamesTheReplacementOfEachOldKey() {
        SettingsMetadata metadata = SettingsMetadata.of("courier.notifier.");

        assertThat(metadata.undocumented()).isEmpty();
        assertThat(metadata.valueHints("courier.notifier.ssrf.allow")).contains("127.0.0.1/32");
        assertThat(metadata.property("courier.notifier.kafka.bootstrap-servers")
                        .getDeprecation()
                        .getReplacement())
                .isEqualTo("spring.kafka.bootstrap-servers");
        assertThat(metadata.property("courier.notifier.kafka.group-id")
                        .getDeprecation()
                        .getReplacement())
                .isEqualTo("spring.kafka.consumer.group-id");
    }
}
