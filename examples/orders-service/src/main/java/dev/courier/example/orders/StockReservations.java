package dev.courier.example.orders;

import dev.courier.outbox.inbox.Inbox;
import dev.courier.rocketmq.consumer.IdempotentMessageListener;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stock side of an order, in the same service for the demo: consumes the stock reservation messages and records
 * each reservation once (the inbox skips RocketMQ's redeliveries).
 */
@Component
public class StockReservations implements SmartLifecycle {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("orders-stock");
    private volatile boolean running;

    public StockReservations(Inbox inbox, @Value("${courier.rocketmq.name-server}") String nameServer)
            throws MQClientException {
        consumer.setNamesrvAddr(nameServer);
        consumer.subscribe(Orders.STOCK_TOPIC, "reserve");
        consumer.registerMessageListener(new IdempotentMessageListener(inbox, "stock", (message, connection) -> {
            JsonNode reservation = JSON.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO stock_reservations (order_id, sku, quantity) VALUES (?::uuid, ?, ?)")) {
                insert.setString(1, reservation.path("orderId").asString());
                insert.setString(2, reservation.path("sku").asString());
                insert.setInt(3, reservation.path("quantity").asInt());
                insert.executeUpdate();
            }
        }));
    }

    @Override
    public void start() {
        try {
            consumer.start();
            running = true;
        } catch (MQClientException e) {
            throw new IllegalStateException("could not start the stock reservation consumer", e);
        }
    }

    @Override
    public void stop() {
        consumer.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
