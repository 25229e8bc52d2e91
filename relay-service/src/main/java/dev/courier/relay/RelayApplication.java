package dev.courier.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The relay-service: {@code java -jar relay-service.jar --spring.datasource.url=... --spring.kafka.bootstrap-servers=...}. */
@SpringBootApplication
@EnableConfigurationProperties(RelayProperties.class)
public class RelayApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelayApplication.class, args);
    }
}
