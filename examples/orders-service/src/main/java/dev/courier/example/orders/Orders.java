package dev.courier.example.orders;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.courier.outbox.Outbox;
import dev.courier.rocketmq.TransactionOutcome;
import dev.courier.rocketmq.TransactionalMessage;
import dev.courier.rocketmq.TransactionalSendResult;
import dev.courier.rocketmq.TransactionalSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Placing and paying orders. Each business change and its messages commit together:
 *
 * <ul>
 *   <li>placing an order is a RocketMQ transactional message (the stock reservation) whose local transaction inserts
 *       the order and publishes {@code OrderPlaced} to the outbox;
 *   <li>paying inserts the payment and publishes {@code PaymentSucceeded} to the outbox, with the merchant's endpoint
 *       in a header, which the notifier's Kafka intake turns into a signed webhook.
 * </ul>
 */
@Service
public class Orders {

    static final String STOCK_TOPIC = "stock-reservations";
    /** The header the notifier's Kafka intake reads the merchant's application from. */
    static final String MERCHANT_APPLICATION_HEADER = "merchant";

    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final TransactionalSender stock;
    private final MerchantRegistration merchant;
    private final MeterRegistry meters;

    public Orders(
            JdbcClient jdbc,
            Outbox outbox,
            TransactionalSender stock,
            MerchantRegistration merchant,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.stock = stock;
        this.merchant = merchant;
        this.meters = meters;
    }

    public Order place(OrderRequest request) {
        Order order = new Order(
                IDS.generate(), request.customer(), request.sku(), request.quantity(), request.amountCents(), "PLACED");
        byte[] reservation = ("{\"orderId\":\"%s\",\"sku\":\"%s\",\"quantity\":%d}")
                .formatted(order.id(), order.sku(), order.quantity())
                .getBytes(StandardCharsets.UTF_8);
        TransactionalSendResult<Order> result = stock.send(
                TransactionalMessage.of(STOCK_TOPIC, order.id().toString(), reservation)
                        .withTags("reserve"),
                connection -> {
                    jdbc.sql("INSERT INTO orders (id, customer, sku, quantity, amount_cents, status)"
                                    + " VALUES (?, ?, ?, ?, ?, ?)")
                            .params(
                                    order.id(),
                                    order.customer(),
                                    order.sku(),
                                    order.quantity(),
                                    order.amountCents(),
                                    order.status())
                            .update();
                    outbox.publish("order", order.id().toString(), "OrderPlaced", order);
                    return order;
                });
        // UNKNOWN: the commit's answer was lost; the broker's check-back decides from the database.
        if (result.outcome() == TransactionOutcome.ROLLED_BACK) {
            throw new IllegalStateException("order " + order.id() + " was fenced off by a check-back; not placed");
        }
        return order;
    }

    /** Pays the order once; empty when there is no such order, the existing payment's order when it was paid. */
    @Transactional
    public Optional<Order> pay(UUID orderId) {
        Optional<Order> placed = find(orderId);
        if (placed.isEmpty() || placed.get().status().equals("PAID")) {
            return placed;
        }
        Order order = placed.get();
        UUID paymentId = IDS.generate();
        jdbc.sql("INSERT INTO payments (id, order_id, amount_cents) VALUES (?, ?, ?)")
                .params(paymentId, orderId, order.amountCents())
                .update();
        jdbc.sql("UPDATE orders SET status = 'PAID' WHERE id = ?")
                .param(orderId)
                .update();
        outbox.publish(
                "payment",
                orderId.toString(),
                "payment.succeeded",
                Map.of(
                        "paymentId", paymentId.toString(),
                        "orderId", orderId.toString(),
                        "amountCents", order.amountCents(),
                        "customer", order.customer()),
                Map.of(MERCHANT_APPLICATION_HEADER, merchant.applicationId()));
        return find(orderId);
    }

    public Optional<Order> find(UUID id) {
        return jdbc.sql("SELECT id, customer, sku, quantity, amount_cents, status FROM orders WHERE id = ?")
                .param(id)
                .query((rs, n) -> new Order(
                        rs.getObject("id", UUID.class),
                        rs.getString("customer"),
                        rs.getString("sku"),
                        rs.getInt("quantity"),
                        rs.getLong("amount_cents"),
                        rs.getString("status")))
                .optional();
    }

    /**
     * What this service has written: the numbers the demo's summary starts from. Outbox events are outbox-lib's own
     * count of messages written ({@code courier.outbox.messages.written}), not derived from the rows, so that the
     * summary can check them against the orders and payments.
     */
    public Map<String, Long> stats() {
        long outboxWritten = Math.round(meters.find("courier.outbox.messages.written").counters().stream()
                .mapToDouble(Counter::count)
                .sum());
        return jdbc.sql("SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM payments) AS payments,"
                        + " (SELECT count(*) FROM stock_reservations) AS reservations")
                .query((rs, n) -> Map.of(
                        "orders", rs.getLong("orders"),
                        "payments", rs.getLong("payments"),
                        "outboxEventsWritten", outboxWritten,
                        "stockReservationsConsumed", rs.getLong("reservations")))
                .single();
    }
}
