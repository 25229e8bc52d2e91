package dev.courier.example.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the merchant's webhook endpoint with the notifier at start-up, once: the endpoint id is kept in this
 * service's database and reused after a restart. Payments carry it in a header, and the notifier's Kafka intake
 * delivers each payment event to it.
 */
@Component
public class MerchantRegistration implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MerchantRegistration.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final OrdersProperties properties;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile UUID endpointId;

    public MerchantRegistration(JdbcClient jdbc, OrdersProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        endpointId = jdbc.sql("SELECT endpoint_id FROM merchant_endpoint WHERE url = ?")
                .param(properties.merchantUrl())
                .query(UUID.class)
                .optional()
                .orElseGet(this::register);
        log.info("Merchant webhook {} is notifier endpoint {}", properties.merchantUrl(), endpointId);
    }

    /** The registered endpoint; payments are refused until registration succeeded. */
    public UUID endpointId() {
        UUID id = endpointId;
        if (id == null) {
            throw new IllegalStateException("the merchant endpoint is not registered with the notifier yet");
        }
        return id;
    }

    private UUID register() {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("url", properties.merchantUrl());
        endpoint.put("description", "demo merchant");
        endpoint.put("retryProfile", properties.retryProfile());
        if (properties.merchantSecret() != null && !properties.merchantSecret().isBlank()) {
            endpoint.put("secret", properties.merchantSecret());
        }
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(properties.notifierUrl() + "/api/endpoints"))
                            .header("Authorization", "Bearer " + properties.notifierToken())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(endpoint)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw new IllegalStateException("the notifier refused the merchant endpoint: HTTP "
                        + response.statusCode() + " " + response.body());
            }
            UUID id = UUID.fromString(JSON.readTree(response.body()).path("id").asString());
            jdbc.sql("INSERT INTO merchant_endpoint (url, endpoint_id) VALUES (?, ?)")
                    .params(properties.merchantUrl(), id)
                    .update();
            return id;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not reach the notifier at " + properties.notifierUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
