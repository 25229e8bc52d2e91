package dev.courier.relay.polling;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two circuit breakers: Kafka publishing and the outbox database. Each state change is logged once. */
public record RelayCircuits(CircuitBreaker kafka, CircuitBreaker database) {

    private static final Logger log = LoggerFactory.getLogger(RelayCircuits.class);

    public RelayCircuits {
        logTransitions(kafka);
        logTransitions(database);
    }

    public boolean anyOpen() {
        return kafka.getState() == CircuitBreaker.State.OPEN || database.getState() == CircuitBreaker.State.OPEN;
    }

    private static void logTransitions(CircuitBreaker breaker) {
        breaker.getEventPublisher()
                .onStateTransition(event -> log.warn("Circuit '{}' {}", breaker.getName(), event.getStateTransition()));
    }
}
