package dev.courier.example.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the merchant with the notifier at start-up as an application with two endpoints: its payment callback
 * (subscribed to {@code payment.*}) and its ledger (subscribed to every event type). Payments carry the application
 * id in a header, and the notifier's Kafka intake fans each payment event out to both. Safe to run again: an
 * application or endpoint that exists already is kept.
 */
@Component
public class MerchantRegistration implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MerchantRegistration.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OrdersProperties properties;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean registered;

    public MerchantRegistration(OrdersProperties properties) {
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        String application = properties.merchantApplication();
        HttpResponse<String> created = send("/api/applications", Map.of("id", application, "name", "demo merchant"));
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw refused("application", created);
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode endpoint : JSON.readTree(get("/api/applications/" + application + "/endpoints"))) {
            urls.add(endpoint.path("url").asString());
        }
        register(urls, properties.merchantUrl(), "payment callback", List.of("payment.*"));
        register(urls, properties.ledgerUrl(), "ledger", List.of("*"));
        registered = true;
        log.info(
                "Merchant {} registered with the notifier: {} (payment.*) and {} (every event type)",
                application,
                properties.merchantUrl(),
                properties.ledgerUrl());
    }

    /** The merchant's application at the notifier; payments are refused until registration succeeded. */
    public String applicationId() {
        if (!registered) {
            throw new IllegalStateException("the merchant is not registered with the notifier yet");
        }
        return properties.merchantApplication();
    }

    private void register(List<String> existing, String url, String description, List<String> eventTypes) {
        if (existing.contains(url)) {
            return;
        }
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("url", url);
        endpoint.put("description", "demo merchant " + description);
        endpoint.put("retryProfile", properties.retryProfile());
        endpoint.put("eventTypes", eventTypes);
        if (properties.merchantSecret() != null && !properties.merchantSecret().isBlank()) {
            endpoint.put("secret", properties.merchantSecret());
        }
        HttpResponse<String> response =
                send("/api/applications/" + properties.merchantApplication() + "/endpoints", endpoint);
        if (response.statusCode() != 201) {
            throw refused(description + " endpoint", response);
        }
    }

    private HttpResponse<String> send(String path, Object body) {
        return exchange(HttpRequest.newBuilder(URI.create(properties.notifierUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private String get(String path) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(properties.notifierUrl() + path))
                .GET());
        if (response.statusCode() != 200) {
            throw refused("read of " + path, response);
        }
        return response.body();
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.header("Authorization", "Bearer " + properties.notifierToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not reach the notifier at " + properties.notifierUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static IllegalStateException refused(String what, HttpResponse<String> response) {
        return new IllegalStateException("the notifier refused the merchant's " + what + ": HTTP "
                + response.statusCode() + " " + response.body());
    }
}
