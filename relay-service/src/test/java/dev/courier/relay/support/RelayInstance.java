package dev.courier.relay.support;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.relay.RelayApplication;
import dev.courier.relay.polling.PollingRelay;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/** A relay-service running in this JVM against a test database and the test broker, with fast lease timing. */
public final class RelayInstance implements AutoCloseable {

    /** The admin token of every test relay. */
    public static final String TOKEN = "relay-test-token-0123456789";

    private final ConfigurableApplicationContext context;

    private RelayInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static RelayInstance start(TestDatabase db, String memberId, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>(settings(db, memberId));
        settings.putAll(overrides);
        return start(settings);
    }

    /** A relay with exactly these settings, as command-line arguments. */
    public static RelayInstance start(Map<String, String> settings) {
        return start(settings, List.of());
    }

    /** A relay with exactly these settings and beans of the test's own ({@code initializers}). */
    public static RelayInstance start(
            Map<String, String> settings, List<ApplicationContextInitializer<GenericApplicationContext>> initializers) {
        List<String> args = new ArrayList<>();
        settings.forEach((name, value) -> args.add("--" + name + "=" + value));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(RelayApplication.class);
        initializers.forEach(builder::initializers);
        return new RelayInstance(builder.run(args.toArray(String[]::new)));
    }

    /** The settings a relay needs for {@code db} and the test broker; also used to start relay processes. */
    public static Map<String, String> settings(TestDatabase db, String memberId) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("courier.relay.member-id", memberId);
        settings.put("spring.datasource.url", db.jdbcUrl());
        settings.put("spring.datasource.username", db.user());
        settings.put("spring.datasource.password", db.password());
        settings.put("spring.kafka.bootstrap-servers", EmbeddedKafka.bootstrapServers());
        settings.put("courier.relay.lease.ttl", "3s");
        settings.put("courier.relay.lease.renew-interval", "500ms");
        settings.put("courier.relay.admin.token", TOKEN);
        return settings;
    }

    public PollingRelay relay() {
        return context.getBean(PollingRelay.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public RelayHttp http() {
        return new RelayHttp(port());
    }

    /** GET on this relay's HTTP port, with a bearer token unless {@code token} is null. */
    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http().get(path, token);
    }

    /** POST without a body on this relay's HTTP port, with a bearer token unless {@code token} is null. */
    public HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        return http().post(path, token);
    }

    @Override
    public void close() {
        context.close();
    }
}
