package dev.courier.notifier.support;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.notifier.NotifierApplication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/** A notifier running in this JVM against a test database, with receivers on 127.0.0.1 allowed. */
public final class NotifierInstance implements AutoCloseable {

    public static final String TOKEN = "test-token-0123456789";

    private final ConfigurableApplicationContext context;

    private NotifierInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static NotifierInstance start(TestDatabase db, String instanceId, Map<String, String> overrides) {
        return start(db, instanceId, overrides, List.of());
    }

    /** A notifier with beans of the test's own ({@code initializers}). */
    public static NotifierInstance start(
            TestDatabase db,
            String instanceId,
            Map<String, String> overrides,
            List<ApplicationContextInitializer<GenericApplicationContext>> initializers) {
        Map<String, String> settings = new LinkedHashMap<>(settings(db, instanceId));
        settings.putAll(overrides);
        List<String> args = new ArrayList<>();
        settings.forEach((name, value) -> args.add("--" + name + "=" + value));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(NotifierApplication.class);
        initializers.forEach(builder::initializers);
        return new NotifierInstance(builder.run(args.toArray(String[]::new)));
    }

    /** The settings a notifier needs for {@code db}; also used to start notifier processes. */
    public static Map<String, String> settings(TestDatabase db, String instanceId) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("spring.datasource.url", db.jdbcUrl());
        settings.put("spring.datasource.username", db.user());
        settings.put("spring.datasource.password", db.password());
        settings.put("courier.notifier.instance-id", instanceId);
        settings.put("courier.notifier.api-token", TOKEN);
        settings.put("courier.notifier.poll-interval", "50ms");
        settings.put("courier.notifier.ssrf.allow", "127.0.0.0/8,::1/128");
        return settings;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public NotifierApi api() {
        return new NotifierApi(port(), TOKEN);
    }

    @Override
    public void close() {
        context.close();
    }
}
