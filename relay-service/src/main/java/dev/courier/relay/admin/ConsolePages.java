package dev.courier.relay.admin;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The relay's operator console at {@code /console/}, served from the files the {@code web-console} module builds into
 * its jar. The files are open (they hold no data); every call the page makes goes to {@code /admin} with the admin
 * token.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePages implements WebMvcConfigurer {

    static final String CONSOLE = "/console";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(CONSOLE + "/**").addResourceLocations("classpath:/courier-web/relay-console/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController(CONSOLE, CONSOLE + "/");
        registry.addViewController(CONSOLE + "/").setViewName("forward:" + CONSOLE + "/index.html");
    }
}
