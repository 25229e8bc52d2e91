package dev.courier.notifier.api;

import dev.courier.notifier.NotifierProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** Room for the JSON envelope around a body of the largest accepted size. */
    private static final long ENVELOPE_BYTES = 64 * 1024;

    @Bean
    FilterRegistrationBean<ApiTokenFilter> apiTokenFilter(NotifierProperties properties) {
        FilterRegistrationBean<ApiTokenFilter> registration = new FilterRegistrationBean<>(new ApiTokenFilter(
                properties.apiToken(), properties.maxBodySize().toBytes() + ENVELOPE_BYTES));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
