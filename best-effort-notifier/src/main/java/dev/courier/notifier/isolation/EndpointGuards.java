package dev.courier.notifier.isolation;

import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.application.ApplicationLimits;
import dev.courier.notifier.endpoint.Endpoint;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Per-endpoint isolation on this instance: a bulkhead (the endpoint's max concurrency), a rate limiter (its rate per
 * second) and a circuit breaker (Resilience4j). A request goes out only with all three permits; otherwise its claim
 * is handed back, and the endpoint is left out of claims until it can take requests again, so that a slow or dead
 * endpoint never holds a worker another endpoint could use.
 *
 * <p>Endpoints of an application are also held to its share ({@link ApplicationLimits}): a bulkhead and a rate
 * limiter over all its endpoints together, taken before the endpoint's own permits. An application at its share is
 * left out of claims as a whole, so that one tenant's burst or its many dead endpoints cannot take the instance from
 * the others.
 */
public final class EndpointGuards {

    private final CircuitBreakerConfig circuitConfig;
    private final Duration waitInOpen;
    private final Map<UUID, Guard> guards = new ConcurrentHashMap<>();
    private final Map<String, Share> shares = new ConcurrentHashMap<>();

    public EndpointGuards(NotifierProperties.Circuit circuit) {
        this.waitInOpen = circuit.waitInOpen();
        this.circuitConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(circuit.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuit.slidingWindowSize())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .waitDurationInOpenState(circuit.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(Throwable.class)
                .build();
    }

    /** Permission for one request to {@code endpoint}; {@link #complete} must follow every granted permit. */
    public sealed interface Admission permits Permit, Refusal {}

    /** Granted: send, then report with {@link #complete}. {@code share} is null for an endpoint of no application. */
    public record Permit(Endpoint endpoint, Guard guard, Share share) implements Admission {}

    /** Refused: hand the claim back, due at {@code retryAt}. */
    public record Refusal(Instant retryAt, String reason) implements Admission {}

    /**
     * @param limits the share of the endpoint's application, or null for an endpoint of no application
     */
    public Admission tryAcquire(Endpoint endpoint, ApplicationLimits limits, Instant now) {
        Share share = limits == null ? null : shareOf(limits);
        if (share != null && !share.bulkhead.tryAcquirePermission()) {
            return new Refusal(now.plus(Duration.ofSeconds(1)), "application at its max concurrency");
        }
        Admission admission = tryAcquire(endpoint, share, now);
        if (admission instanceof Refusal && share != null) {
            share.bulkhead.onComplete();
        }
        return admission;
    }

    private Admission tryAcquire(Endpoint endpoint, Share share, Instant now) {
        Guard guard = guardOf(endpoint);
        if (!guard.bulkhead.tryAcquirePermission()) {
            // A permit frees when a request ends: at the latest after the endpoint's timeout.
            Duration wait = endpoint.timeout().compareTo(Duration.ofSeconds(1)) < 0
                    ? endpoint.timeout()
                    : Duration.ofSeconds(1);
            return new Refusal(now.plus(wait), "endpoint at its max concurrency");
        }
        if (!guard.circuit.tryAcquirePermission()) {
            guard.bulkhead.onComplete();
            guard.blockedUntil = now.plus(waitInOpen);
            return new Refusal(guard.blockedUntil, "circuit open");
        }
        if (!guard.rate.acquirePermission()) {
            guard.circuit.releasePermission();
            guard.bulkhead.onComplete();
            guard.blockedUntil = now.plusMillis(Math.max(10, 1000 / endpoint.ratePerSecond()));
            return new Refusal(guard.blockedUntil, "endpoint at its rate limit");
        }
        // The application's rate last: a permit of it is spent only on a request that goes out.
        if (share != null && !share.rate.acquirePermission()) {
            guard.circuit.releasePermission();
            guard.bulkhead.onComplete();
            share.blockedUntil = now.plusMillis(Math.max(10, 1000 / share.ratePerSecond));
            return new Refusal(share.blockedUntil, "application at its rate limit");
        }
        return new Permit(endpoint, guard, share);
    }

    /**
     * Reports how a permitted request went: failures count towards opening the endpoint's circuit.
     *
     * @return until when the endpoint's circuit is open, when this failure opened it
     */
    public Optional<Instant> complete(Permit permit, boolean success, Duration took) {
        Guard guard = permit.guard();
        Optional<Instant> opened = Optional.empty();
        if (success) {
            guard.circuit.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
        } else {
            CircuitBreaker.State before = guard.circuit.getState();
            guard.circuit.onError(took.toNanos(), TimeUnit.NANOSECONDS, new EndpointFailure());
            if (guard.circuit.getState() == CircuitBreaker.State.OPEN && before != CircuitBreaker.State.OPEN) {
                guard.blockedUntil = Instant.now().plus(waitInOpen);
                opened = Optional.of(guard.blockedUntil);
            }
        }
        guard.bulkhead.onComplete();
        if (permit.share() != null) {
            permit.share().bulkhead.onComplete();
        }
        return opened;
    }

    /**
     * Gives a permit back unused (the request was never sent, e.g. its secrets could not be read): neither a success
     * nor a failure of the endpoint.
     */
    public void release(Permit permit) {
        permit.guard().circuit.releasePermission();
        permit.guard().bulkhead.onComplete();
        if (permit.share() != null) {
            permit.share().bulkhead.onComplete();
        }
    }

    /**
     * Whether the permit's endpoint or application has no free slot: a claim had to leave due notifications behind,
     * and this request's end frees one.
     */
    public boolean saturated(Permit permit) {
        return permit.guard().bulkhead.getMetrics().getAvailableConcurrentCalls() == 0
                || (permit.share() != null
                        && permit.share().bulkhead.getMetrics().getAvailableConcurrentCalls() == 0);
    }

    /** Endpoints this instance cannot send to right now: claims leave them out. */
    public Set<UUID> unavailable(Instant now) {
        return guards.entrySet().stream()
                .filter(entry -> entry.getValue().unavailable(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Applications at their share on this instance right now: claims leave out all their endpoints. */
    public Set<String> unavailableApplications(Instant now) {
        return shares.entrySet().stream()
                .filter(entry -> entry.getValue().unavailable(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Requests in flight to the application's endpoints on this instance. */
    public int inFlight(String applicationId) {
        Share share = shares.get(applicationId);
        return share == null
                ? 0
                : share.maxConcurrency - share.bulkhead.getMetrics().getAvailableConcurrentCalls();
    }

    /** Endpoints whose circuit is open or half-open on this instance. */
    public long openCircuits() {
        return guards.values().stream()
                .filter(guard -> guard.circuit.getState() != CircuitBreaker.State.CLOSED)
                .count();
    }

    /** Endpoints whose Resilience4j circuit is in {@code state} on this instance. */
    public long circuitsIn(CircuitBreaker.State state) {
        return guards.values().stream()
                .filter(guard -> guard.circuit.getState() == state)
                .count();
    }

    /**
     * {@code courier.notifier.circuits{state}}: endpoints per circuit state. One series per state rather than one per
     * endpoint, so that thousands of endpoints do not become thousands of series; one endpoint's circuit is in the
     * API ({@link #isolation}).
     */
    public void bindMetrics(MeterRegistry registry) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("courier.notifier.circuits", this, guards -> guards.circuitsIn(state))
                    .description("Endpoints whose circuit breaker is in this state on this instance")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** The endpoint's isolation state on this instance, or empty when it has not been sent to since start. */
    public Optional<EndpointIsolation> isolation(UUID endpointId) {
        Guard guard = guards.get(endpointId);
        if (guard == null) {
            return Optional.empty();
        }
        CircuitBreaker.Metrics metrics = guard.circuit.getMetrics();
        return Optional.of(new EndpointIsolation(
                guard.circuit.getState().name(),
                metrics.getFailureRate(),
                metrics.getNumberOfBufferedCalls(),
                guard.maxConcurrency - guard.bulkhead.getMetrics().getAvailableConcurrentCalls()));
    }

    /** The isolation state of one endpoint: circuit state, recent failure rate (-1 before enough calls), in flight. */
    public record EndpointIsolation(String circuitState, float failureRate, int recentAttempts, int inFlight) {}

    private Share shareOf(ApplicationLimits limits) {
        return shares.compute(
                limits.applicationId(),
                (id, current) -> current != null && current.fits(limits) ? current : new Share(limits));
    }

    private Guard guardOf(Endpoint endpoint) {
        return guards.compute(
                endpoint.id(),
                (id, current) ->
                        current != null && current.fits(endpoint) ? current : new Guard(endpoint, circuitConfig));
    }

    /** The three Resilience4j instances of one endpoint, rebuilt when its limits change. */
    public static final class Guard {
        private final int maxConcurrency;
        private final int ratePerSecond;
        private final Bulkhead bulkhead;
        private final RateLimiter rate;
        private final CircuitBreaker circuit;
        private volatile Instant blockedUntil = Instant.MIN;

        private Guard(Endpoint endpoint, CircuitBreakerConfig circuitConfig) {
            String name = endpoint.id().toString();
            this.maxConcurrency = endpoint.maxConcurrency();
            this.ratePerSecond = endpoint.ratePerSecond();
            this.bulkhead = bulkhead(name, maxConcurrency);
            this.rate = rateLimiter(name, ratePerSecond);
            this.circuit = CircuitBreaker.of(name, circuitConfig);
        }

        private boolean fits(Endpoint endpoint) {
            return endpoint.maxConcurrency() == maxConcurrency && endpoint.ratePerSecond() == ratePerSecond;
        }

        private boolean unavailable(Instant now) {
            return bulkhead.getMetrics().getAvailableConcurrentCalls() == 0 || blockedUntil.isAfter(now);
        }
    }

    /**
     * The bulkhead and rate limiter of one application's share, rebuilt when its limits change (requests in flight on
     * the replaced one finish against it).
     */
    public static final class Share {
        private final int maxConcurrency;
        private final int ratePerSecond;
        private final Bulkhead bulkhead;
        private final RateLimiter rate;
        private volatile Instant blockedUntil = Instant.MIN;

        private Share(ApplicationLimits limits) {
            String name = "application:" + limits.applicationId();
            this.maxConcurrency = limits.maxConcurrency();
            this.ratePerSecond = limits.ratePerSecond();
            this.bulkhead = bulkhead(name, maxConcurrency);
            this.rate = rateLimiter(name, ratePerSecond);
        }

        private boolean fits(ApplicationLimits limits) {
            return limits.maxConcurrency() == maxConcurrency && limits.ratePerSecond() == ratePerSecond;
        }

        private boolean unavailable(Instant now) {
            return bulkhead.getMetrics().getAvailableConcurrentCalls() == 0 || blockedUntil.isAfter(now);
        }
    }

    /** At most {@code calls} at once, refusing at once when full. */
    private static Bulkhead bulkhead(String name, int calls) {
        return Bulkhead.of(
                name,
                BulkheadConfig.custom()
                        .maxConcurrentCalls(calls)
                        .maxWaitDuration(Duration.ZERO)
                        .build());
    }

    /** At most {@code perSecond} permits a second, refusing at once when spent. */
    private static RateLimiter rateLimiter(String name, int perSecond) {
        return RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(perSecond)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    /** Recorded as the failure of an attempt that the receiver did not acknowledge. */
    private static final class EndpointFailure extends RuntimeException {
        EndpointFailure() {
            super("not acknowledged", null, false, false);
        }
    }
}
