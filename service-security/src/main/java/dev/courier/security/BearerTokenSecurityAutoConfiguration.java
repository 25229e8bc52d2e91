package dev.courier.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Protects a service once it declares its {@link BearerTokenSecurity.Settings} bean: the filter chain, the
 * authentication manager (so that Boot makes no default user) and the firewall's refusals as problems.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"
        })
@ConditionalOnBean(BearerTokenSecurity.Settings.class)
@EnableWebSecurity
final class BearerTokenSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain courierSecurityFilterChain(
            HttpSecurity http, BearerTokenSecurity.Settings settings, AuthenticationManager authenticationManager)
            throws Exception {
        return BearerTokenSecurity.filterChain(http, settings, authenticationManager);
    }

    @Bean
    @ConditionalOnMissingBean
    AuthenticationManager courierAuthenticationManager(
            BearerTokenSecurity.Settings settings, ObjectProvider<TenantTokens> tenants) {
        return BearerTokenSecurity.authenticationManager(settings, tenants.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler courierRequestRejectedHandler() {
        return BearerTokenSecurity.requestRejectedHandler();
    }
}
