package dev.courier.notifier.api;

import dev.courier.notifier.NotifierProperties;
import dev.courier.security.WebPages;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator console ({@code /console/}) and the tenant portal ({@code /portal/}), served from the files the
 * {@code web-console} module builds into its jar. The files are open (they hold no data); every call they make goes
 * to {@code /api} with a token, the console's with the operator token, the portal's with an application token.
 */
@Configuration(proxyBeanMethods = false)
class PagesConfiguration implements WebMvcConfigurer {

    static final String CONSOLE = "/console";
    static final String PORTAL = "/portal";

    /** The pages as service-security sees them: the portal may be framed by the configured origins, nothing else. */
    static WebPages pages(NotifierProperties properties) {
        return WebPages.at(CONSOLE, CONSOLE + "/**", PORTAL, PORTAL + "/**")
                .framedBy(properties.portal().frameOrigins(), PORTAL, PORTAL + "/**");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(CONSOLE + "/**").addResourceLocations("classpath:/courier-web/notifier-console/");
        registry.addResourceHandler(PORTAL + "/**").addResourceLocations("classpath:/courier-web/portal/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        for (String page : new String[] {CONSOLE, PORTAL}) {
            registry.addRedirectViewController(page, page + "/");
            registry.addViewController(page + "/").setViewName("forward:" + page + "/index.html");
        }
    }
}
