package dev.courier.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The notifier: {@code java -jar best-effort-notifier.jar --spring.datasource.url=... --courier.notifier...}. */
@SpringBootApplication
@EnableConfigurationProperties(NotifierProperties.class)
public class NotifierApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotifierApplication.class, args);
    }
}
