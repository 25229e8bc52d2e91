package dev.courier.relay.admin;

import dev.courier.relay.RelayProperties;
import dev.courier.security.BearerTokenSecurity;
import dev.courier.security.WebPages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relay's whole HTTP surface behind the admin token (service-security does the rest): {@code /admin/**} replays
 * and skips messages, the actuator shows the topology and metrics. Only the health status and probes and the
 * console's files ({@link ConsolePages}) are open; health details need the token.
 */
@Configuration(proxyBeanMethods = false)
class HttpSecurityConfiguration {

    @Bean
    BearerTokenSecurity.Settings relaySecurity(RelayProperties properties) {
        return BearerTokenSecurity.Settings.withHealthProbesOpen(
                        "courier-relay", properties.admin().token(), "courier.relay.admin.token")
                .withPages(WebPages.at(ConsolePages.CONSOLE, ConsolePages.CONSOLE + "/**"));
    }
}
