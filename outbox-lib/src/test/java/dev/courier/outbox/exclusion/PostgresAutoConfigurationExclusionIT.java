package dev.courier.outbox.exclusion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.Outbox;
import dev.courier.outbox.autoconfigure.OutboxAutoConfiguration;
import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application in a package of its own, as a user's would be, turns Courier's auto-configuration off by class:
 * the class must be public for {@code exclude = OutboxAutoConfiguration.class} to compile.
 */
class PostgresAutoConfigurationExclusionIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WithCourier {}

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(exclude = OutboxAutoConfiguration.class)
    static class WithoutCourier {}

    private static ConfigurableApplicationContext boot(Class<?> application) {
        return new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.datasource.url=" + DB.database().jdbcUrl(),
                        "--spring.datasource.username=" + DB.database().user(),
                        "--spring.datasource.password=" + DB.database().password(),
                        "--spring.flyway.enabled=false");
    }

    @Test
    void theOutboxIsConfiguredUnlessItsAutoConfigurationIsExcludedByClass() {
        try (ConfigurableApplicationContext context = boot(WithCourier.class)) {
            assertThat(context.getBeansOfType(Outbox.class)).hasSize(1);
        }
        try (ConfigurableApplicationContext context = boot(WithoutCourier.class)) {
            assertThat(context.getBeansOfType(Outbox.class)).isEmpty();
        }
    }
}
