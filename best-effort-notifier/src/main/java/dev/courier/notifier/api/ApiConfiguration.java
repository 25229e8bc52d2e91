package dev.courier.notifier.api;

import dev.courier.notifier.NotifierProperties;
import dev.courier.security.BearerTokenSecurity;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notifier's whole HTTP surface behind the API token: {@code /api/**} reads payment callbacks and redelivers
 * them, the actuator shows metrics. Only the health status and probes are open; health details need the token. An
 * application's own token reaches its endpoints, messages, deliveries and recoveries, nothing else.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** Room for the JSON envelope around a body of the largest accepted size. */
    private static final long ENVELOPE_BYTES = 64 * 1024;

    /** The rest is service-security's auto-configuration. */
    @Bean
    BearerTokenSecurity.Settings notifierSecurity(NotifierProperties properties) {
        return BearerTokenSecurity.Settings.withHealthProbesOpen(
                        "courier-notifier", properties.apiToken(), "courier.notifier.api-token")
                .withTenantPaths(
                        "/api/applications/{tenant}/endpoints/**",
                        "/api/applications/{tenant}/messages/**",
                        "/api/applications/{tenant}/deliveries/**",
                        "/api/applications/{tenant}/recoveries")
                .withPages(PagesConfiguration.pages(properties));
    }

    @Bean
    FilterRegistrationBean<BodySizeFilter> bodySizeFilter(NotifierProperties properties) {
        FilterRegistrationBean<BodySizeFilter> registration = new FilterRegistrationBean<>(
                new BodySizeFilter(properties.maxBodySize().toBytes() + ENVELOPE_BYTES));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
