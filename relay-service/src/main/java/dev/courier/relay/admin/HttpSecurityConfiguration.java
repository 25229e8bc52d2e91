package dev.courier.relay.admin;

import dev.courier.relay.RelayProperties;
import dev.courier.security.BearerTokenSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The relay's whole HTTP surface behind the admin token: {@code /admin/**} replays and skips messages, the actuator
 * shows the topology and metrics. Only the health status and probes are open; health details need the token.
 */
@Configuration(proxyBeanMethods = false)
class HttpSecurityConfiguration {

    private static BearerTokenSecurity.Settings settings(RelayProperties properties) {
        return BearerTokenSecurity.Settings.withHealthProbesOpen(
                "courier-relay", properties.admin().token(), "courier.relay.admin.token");
    }

    @Bean
    SecurityFilterChain relaySecurity(HttpSecurity http, RelayProperties properties) throws Exception {
        return BearerTokenSecurity.filterChain(http, settings(properties));
    }

    @Bean
    AuthenticationManager relayAuthentication(RelayProperties properties) {
        return BearerTokenSecurity.authenticationManager(settings(properties));
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return BearerTokenSecurity.requestRejectedHandler();
    }
}
