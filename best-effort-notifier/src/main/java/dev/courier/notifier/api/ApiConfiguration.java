package dev.courier.notifier.api;

import dev.courier.notifier.NotifierProperties;
import dev.courier.security.BearerTokenSecurity;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The notifier's whole HTTP surface behind the API token: {@code /api/**} reads payment callbacks and redelivers
 * them, the actuator shows metrics. Only the health status and probes are open; health details need the token.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** Room for the JSON envelope around a body of the largest accepted size. */
    private static final long ENVELOPE_BYTES = 64 * 1024;

    private static BearerTokenSecurity.Settings settings(NotifierProperties properties) {
        return BearerTokenSecurity.Settings.withHealthProbesOpen(
                "courier-notifier", properties.apiToken(), "courier.notifier.api-token");
    }

    @Bean
    SecurityFilterChain notifierSecurity(HttpSecurity http, NotifierProperties properties) throws Exception {
        return BearerTokenSecurity.filterChain(http, settings(properties));
    }

    @Bean
    AuthenticationManager notifierAuthentication(NotifierProperties properties) {
        return BearerTokenSecurity.authenticationManager(settings(properties));
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return BearerTokenSecurity.requestRejectedHandler();
    }

    @Bean
    FilterRegistrationBean<BodySizeFilter> bodySizeFilter(NotifierProperties properties) {
        FilterRegistrationBean<BodySizeFilter> registration = new FilterRegistrationBean<>(
                new BodySizeFilter(properties.maxBodySize().toBytes() + ENVELOPE_BYTES));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
