package dev.courier.example.orders;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orders.*}: where the notifier is and which merchant endpoint this service registers with it.
 *
 * @param notifierUrl the notifier's base URL
 * @param notifierToken the notifier's API token
 * @param merchantApplication the merchant's application at the notifier (created at start-up if missing)
 * @param merchantUrl the merchant's payment callback, subscribed to {@code payment.*}
 * @param ledgerUrl the merchant's ledger, subscribed to every event type
 * @param merchantSecret the endpoints' signing secret ({@code whsec_...}), shared with the merchant
 * @param retryProfile the endpoint's retry profile (short here, so that retries show within a demo)
 */
@ConfigurationProperties("orders")
public record OrdersProperties(
        @DefaultValue("http://127.0.0.1:8082") String notifierUrl,
        String notifierToken,

        @DefaultValue("demo-merchant") String merchantApplication,

        @DefaultValue("http://127.0.0.1:8091/webhooks/payments")
        String merchantUrl,

        @DefaultValue("http://127.0.0.1:8091/webhooks/ledger")
        String ledgerUrl,

        String merchantSecret,
        @DefaultValue("custom:1s,2s,4s,8s,16s") String retryProfile) {}
