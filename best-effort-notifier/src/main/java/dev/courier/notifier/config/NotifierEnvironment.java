package dev.courier.notifier.config;

import dev.courier.supervision.settings.RenamedProperties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The intake's Kafka client comes from Spring Boot's {@code spring.kafka.*}. This keeps the keys of 0.1
 * ({@code courier.notifier.kafka.bootstrap-servers}, {@code courier.notifier.kafka.group-id}) working under their
 * Spring Boot names, below every source of the application's own, with a deprecation warning each.
 */
public final class NotifierEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String RENAMED_SOURCE = "courierNotifierRenamedKeys";

    private final DeferredLogFactory logs;

    public NotifierEnvironment(DeferredLogFactory logs) {
        this.logs = logs;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        new RenamedProperties(logs.getLog(NotifierEnvironment.class), "Courier 0.3")
                .key("courier.notifier.kafka.bootstrap-servers", "spring.kafka.bootstrap-servers")
                .key("courier.notifier.kafka.group-id", "spring.kafka.consumer.group-id")
                .applyTo(environment, RENAMED_SOURCE);
    }

    @Override
    public int getOrder() {
        // After the application's own configuration has been loaded.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
