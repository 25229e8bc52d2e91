package dev.courier.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The relay-service: {@code java -jar relay-service.jar --courier.relay.datasource.url=... ...}. */
@SpringBootApplication
@EnableConfigurationProperties(RelayProperties.class)
public class RelayApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelayApplication.class, args);
    }
}
