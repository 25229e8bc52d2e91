package dev.courier.example.demo;

import java.util.List;

/**
 * What the demo's pipeline did, read from each part: the example service, Kafka, the demo's own consumer, the
 * notifier's tables and the receiver.
 */
public record Summary(
        long orders,
        long payments,
        long outboxWritten,
        long outboxLeft,
        long published,
        long consumed,
        long stockReservations,
        long messages,
        long deliveries,
        long delivered,
        long retrying,
        long gaveUp,
        long attempts,
        long receiverVerified,
        long receiverFailedOnPurpose,
        long receiverRejected,
        List<String> receiverTraceparents) {

    /** The merchant's endpoints each payment fans out to: its payment callback and its ledger. */
    public static final int MERCHANT_ENDPOINTS = 2;

    /**
     * Every message reached its end: published and consumed, reserved, and each payment a webhook message delivered to
     * each of the merchant's endpoints.
     */
    public boolean settled() {
        return outboxWritten == orders + payments
                && published == outboxWritten
                && consumed == outboxWritten
                && stockReservations == orders
                && messages == payments
                && deliveries == payments * MERCHANT_ENDPOINTS
                && delivered + gaveUp == deliveries;
    }

    /** @param portalLink the merchant's portal link, or null */
    String render(DemoSettings settings, String portalLink) {
        return String.join(
                "\n",
                "",
                "  Courier demo summary",
                "  --------------------",
                "  orders placed                     %6d   (each: order row + outbox event + RocketMQ half message)"
                        .formatted(orders),
                "  payments                          %6d   (each: payment row + outbox event)".formatted(payments),
                "  outbox  written -> published -> consumed   %d -> %d -> %d   (rows left in the outbox: %d)"
                        .formatted(outboxWritten, published, consumed, outboxLeft),
                "  RocketMQ stock reservations consumed  %d of %d".formatted(stockReservations, orders),
                "  webhooks  %d messages fanned out to %d deliveries (payment callback + ledger)"
                        .formatted(messages, deliveries),
                "  webhooks  delivered %d / retrying %d / given up %d   (%d attempts)"
                        .formatted(delivered, retrying, gaveUp, attempts),
                "  receiver  verified %d messages (each once, by webhook-id), failed on purpose %d (then retried),"
                                .formatted(receiverVerified, receiverFailedOnPurpose)
                        + " bad signatures %d".formatted(receiverRejected),
                "",
                "  orders-service  %s/api/stats     POST %s/api/orders"
                        .formatted(
                                settings.url(settings.ports().orders()),
                                settings.url(settings.ports().orders())),
                "  relay console     %s/console/   (sign in with %s)"
                        .formatted(settings.url(settings.ports().relay()), DemoSettings.RELAY_TOKEN),
                "  notifier console  %s/console/   (sign in with %s)"
                        .formatted(settings.url(settings.ports().notifier()), DemoSettings.NOTIFIER_TOKEN),
                "  merchant portal   %s"
                        .formatted(
                                portalLink == null ? "(no link: see the notifier's log)" : portalLink + "   (a day)"),
                "  relay           %s/actuator/health   (admin API: Bearer %s)"
                        .formatted(settings.url(settings.ports().relay()), DemoSettings.RELAY_TOKEN),
                "  notifier        %s/api/notifications   (Bearer %s)"
                        .formatted(settings.url(settings.ports().notifier()), DemoSettings.NOTIFIER_TOKEN),
                "  receiver        %s/stats"
                        .formatted(settings.url(settings.ports().receiver())),
                "  Kafka %s, RocketMQ name server %s, PostgreSQL databases %s and %s"
                        .formatted(
                                settings.kafka(),
                                settings.nameServer(),
                                settings.database().name(),
                                settings.database().notifierName()),
                "");
    }
}
