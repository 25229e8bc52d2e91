package dev.courier.relay;

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

    /** True unless both circuits are closed: open, or half-open while a probe decides whether the outage is over. */
    public boolean anyNotClosed() {
        return kafka.getState() != CircuitBreaker.State.CLOSED || database.getState() != CircuitBreaker.State.CLOSED;
    }

    /** Loud when an outage starts and when it ends; the probing in between stays at debug level. */
    private static void logTransitions(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition transition = event.getStateTransition();
            if (transition.getFromState() == CircuitBreaker.State.CLOSED) {
                log.warn("Circuit '{}' opened: {} is unreachable; backing off", breaker.getName(), breaker.getName());
            } else if (transition.getToState() == CircuitBreaker.State.CLOSED) {
                log.info("Circuit '{}' closed: {} is back", breaker.getName(), breaker.getName());
            } else {
                log.debug("Circuit '{}' {}", breaker.getName(), transition);
            }
        });
    }
}
