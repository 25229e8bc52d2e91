package com.example.shop;

import dev.courier.outbox.Outbox;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A team's application: an order row and its OrderPlaced message in one transaction. */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = SpringApplication.run(ShopApplication.class, args)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute("CREATE TABLE shop_order (id varchar(64) PRIMARY KEY)");
            context.getBean(Orders.class).place("order-1");
            System.out.println("SHOP orders=" + jdbc.queryForObject("SELECT count(*) FROM shop_order", Integer.class)
                    + " messages=" + jdbc.queryForObject(
                            "SELECT count(*) FROM courier_outbox WHERE aggregatetype = 'order' AND aggregateid ="
                                    + " 'order-1' AND type = 'OrderPlaced'",
                            Integer.class)
                    + " migrations=" + jdbc.queryForObject(
                            "SELECT count(*) FROM courier_outbox_schema_history WHERE success", Integer.class));
        }
    }

    @Service
    public static class Orders {

        private final JdbcTemplate jdbc;
        private final Outbox outbox;

        public Orders(JdbcTemplate jdbc, Outbox outbox) {
            this.jdbc = jdbc;
            this.outbox = outbox;
        }

        @Transactional
        public void place(String id) {
            jdbc.update("INSERT INTO shop_order (id) VALUES (?)", id);
            outbox.publish("order", id, "OrderPlaced", Map.of("id", id));
        }
    }
}
