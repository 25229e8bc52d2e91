package dev.courier.relay.config;

import dev.courier.supervision.settings.RenamedProperties;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The relay's database and Kafka client come from Spring Boot's {@code spring.datasource.*} and {@code spring.kafka.*}.
 * This adds, below every source of the application's own, the keys of 0.1 ({@code courier.relay.datasource.*},
 * {@code courier.relay.kafka.bootstrap-servers}, {@code courier.relay.kafka.producer.*}) under their Spring Boot
 * names, with a deprecation warning each, and below those the relay's pool defaults.
 */
public final class RelayEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String RENAMED_SOURCE = "courierRelayRenamedKeys";
    static final String DEFAULTS_SOURCE = "courierRelayDefaults";

    /**
     * The pool the relay needs unless the application says otherwise: read committed (PostgreSQL's default; on
     * MySQL/MariaDB it keeps the relay from taking gap locks in the outbox, so writers are never blocked by it), and
     * start-up while the database is down (the relay waits for it like for any other outage).
     */
    static final Map<String, Object> DEFAULTS = Map.of(
            "spring.datasource.hikari.pool-name", "courier-relay",
            "spring.datasource.hikari.maximum-pool-size", "6",
            "spring.datasource.hikari.transaction-isolation", "TRANSACTION_READ_COMMITTED",
            "spring.datasource.hikari.initialization-fail-timeout", "-1",
            "spring.datasource.hikari.connection-timeout", "5000");

    private final Log log;

    public RelayEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(RelayEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        new RenamedProperties(log, "Courier 0.3")
                .key("courier.relay.datasource.url", "spring.datasource.url")
                .key("courier.relay.datasource.username", "spring.datasource.username")
                .key("courier.relay.datasource.password", "spring.datasource.password")
                .key("courier.relay.datasource.maximum-pool-size", "spring.datasource.hikari.maximum-pool-size")
                .key("courier.relay.kafka.bootstrap-servers", "spring.kafka.bootstrap-servers")
                .map("courier.relay.kafka.producer", "spring.kafka.producer.properties")
                .applyTo(environment, RENAMED_SOURCE);
        environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS_SOURCE, DEFAULTS));
    }

    @Override
    public int getOrder() {
        // After the application's own configuration has been loaded.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
