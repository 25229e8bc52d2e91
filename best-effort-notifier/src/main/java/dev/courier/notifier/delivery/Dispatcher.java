package dev.courier.notifier.delivery;

import dev.courier.notifier.endpoint.Endpoint;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.isolation.EndpointGuards;
import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import dev.courier.supervision.LoopHealth;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The delivery loop of one instance: claims due notifications, lets each through its endpoint's guards, sends it on
 * a virtual thread, and records the attempt and the decision. At most {@code max-in-flight} requests at once; the
 * loop claims only as many as it has room for, so claimed rows never wait in a local queue while their lease runs.
 */
public final class Dispatcher implements SmartLifecycle {

    /**
     * What the dispatcher takes from the notifier's settings.
     *
     * @param instanceId names this instance in claims and logs
     * @param maxInFlight deliveries in flight at once
     * @param batchSize most notifications claimed per statement
     * @param pollInterval pause when nothing is due, and the first pause after a failed claim
     * @param lease how long a claim holds its notification
     * @param maxEndpointTimeout the longest endpoint timeout: how long a stop waits for requests in flight
     * @param maxRetriesInFlight retries in flight at once (the rest of {@code maxInFlight} stays for first attempts)
     */
    public record Settings(
            String instanceId,
            int maxInFlight,
            int batchSize,
            Duration pollInterval,
            Duration lease,
            Duration maxEndpointTimeout,
            int maxRetriesInFlight) {}

    private static final Duration MAX_CLAIM_RETRY_PAUSE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final ClaimStore claims;
    private final EndpointStore endpoints;
    private final SigningSecrets secrets;
    private final EndpointGuards guards;
    private final DeliveryClient client;
    private final DeliveryObservation observation;
    private final DeliveryMetrics metrics;
    private final ApplicationEventPublisher events;
    private final Settings settings;
    /** Pauses before the n-th claim in a row that failed: the poll interval, doubling up to 10 s. */
    private final IntervalFunction claimRetryPauses;

    private final String leasePrefix;
    private final AtomicLong claimSequence = new AtomicLong();
    private final Semaphore slots;
    /** Of the slots, those retries may hold: a retry storm leaves the rest to fresh notifications. */
    private final Semaphore retrySlots;
    /** The fewest free slots worth a claim while deliveries are in flight. */
    private final int minClaim;

    private final Object wake = new Object();
    private boolean wakeRequested;
    /** Endpoints that got new work since the last claim; guarded by {@link #wake}. */
    private final Set<UUID> hinted = new HashSet<>();
    /** Something other than new work of known endpoints woke the loop: the next claim looks at all; by {@link #wake}. */
    private boolean claimAllRequested = true;
    /** When the loop last claimed among all endpoints ({@link System#nanoTime}); the loop's own. */
    private long claimedAllAt;

    private ExecutorService workers;
    private AttemptWriter attempts;
    private volatile Thread loop;
    private volatile boolean running;
    /** The last claim was limited by free slots, not by due work: a delivery that ends should claim again. */
    private volatile boolean slotBound;

    private final LoopHealth loopHealth;
    private final LoopHealth writerHealth;

    public Dispatcher(
            ClaimStore claims,
            EndpointStore endpoints,
            EndpointGuards guards,
            DeliveryClient client,
            DeliveryObservation observation,
            DeliveryMetrics metrics,
            ApplicationEventPublisher events,
            Settings settings) {
        this.claims = claims;
        this.endpoints = endpoints;
        this.secrets = new SigningSecrets(endpoints, metrics, Duration.ofSeconds(1));
        this.guards = guards;
        this.client = client;
        this.observation = observation;
        this.metrics = metrics;
        this.loopHealth = metrics.loopHealth("dispatcher");
        this.writerHealth = metrics.loopHealth("attempt-writer");
        this.events = events;
        this.settings = settings;
        this.claimRetryPauses = IntervalFunction.ofExponentialBackoff(
                settings.pollInterval(), 2.0, max(settings.pollInterval(), MAX_CLAIM_RETRY_PAUSE));
        this.leasePrefix = settings.instanceId() + "/" + Long.toString(System.nanoTime() & 0xffffff, 36) + "/";
        this.slots = new Semaphore(settings.maxInFlight());
        this.retrySlots = new Semaphore(Math.max(1, Math.min(settings.maxInFlight(), settings.maxRetriesInFlight())));
        this.minClaim = Math.max(1, Math.min(settings.batchSize(), settings.maxInFlight()) / 4);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        attempts = new AttemptWriter(claims, settings.maxInFlight(), writerHealth);
        loopHealth.started();
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("notifier-delivery-", 0).factory());
        loop = Thread.ofPlatform().name("notifier-dispatcher").daemon().start(this::run);
        log.info(
                "Notifier {} delivering: up to {} requests in flight, lease {}",
                settings.instanceId(),
                settings.maxInFlight(),
                settings.lease());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        loop.interrupt();
        workers.shutdown();
        try {
            // In-flight requests end within their endpoint's timeout; a longer wait would only delay shutdown.
            if (!workers.awaitTermination(settings.maxEndpointTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                log.warn("Requests still in flight at shutdown: their claims fall due again after the lease");
            }
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        attempts.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Looks for due notifications of all endpoints now instead of at the next poll. */
    public void wake() {
        synchronized (wake) {
            wakeRequested = true;
            claimAllRequested = true;
            wake.notifyAll();
        }
    }

    /**
     * Looks for due notifications now, after {@code endpoint} got new work (this instance accepted a notification for
     * it). Until a poll interval has passed since the last claim of all endpoints, the claim this starts reads only the
     * endpoints woken this way: a claim of all probes every enabled endpoint, and one per accepted notification kept
     * the loop claiming 0.4-0.6 s of every second at 200 notifications/s to 100 endpoints.
     */
    public void wake(UUID endpoint) {
        synchronized (wake) {
            wakeRequested = true;
            if (hinted.size() < settings.batchSize()) {
                hinted.add(endpoint);
            } else {
                claimAllRequested = true;
            }
            wake.notifyAll();
        }
    }

    /**
     * Wakes the loop for capacity a delivery freed: the next claim looks at all endpoints if the last one was limited
     * by free slots; if it was not (the delivery ended while it ran), there is nothing new to look for.
     */
    private void wakeForCapacity() {
        synchronized (wake) {
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    /** The claim loop and the attempt writer: DOWN in health while either fails or has stopped. */
    public List<LoopHealth> health() {
        return List.of(loopHealth, writerHealth);
    }

    /** Supervised: a failed claim backs off and goes on; only {@link #stop} ends the loop, and health shows both. */
    private void run() {
        try {
            claimUntilStopped();
        } catch (Throwable e) {
            loopHealth.failed(e);
            log.error("The delivery loop ended unexpectedly", e);
            throw e;
        } finally {
            loopHealth.stopped();
        }
    }

    private void claimUntilStopped() {
        int failures = 0;
        boolean limited = false;
        while (running) {
            try {
                // Until this claim shows otherwise, a delivery that ends may free a slot it needs.
                slotBound = true;
                int room = Math.min(settings.batchSize(), slots.availablePermits());
                int retryRoom = Math.min(room, retrySlots.availablePermits());
                // Nearly full: wait for deliveries to finish (each one then wakes the loop) rather than claim a row or
                // two per statement.
                int claimed = room < minClaim ? 0 : claimAndDispatch(room, retryRoom, endpointsToClaim(limited));
                limited = room < minClaim || claimed >= room || retryRoom < room;
                slotBound = limited;
                failures = 0;
                loopHealth.succeeded();
                if (claimed < room || room < minClaim) {
                    pause(untilClaimOfAll());
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                if (!running) {
                    return;
                }
                loopHealth.failed(e);
                Duration backoff = Duration.ofMillis(claimRetryPauses.apply(++failures));
                log.warn("Claiming due notifications failed, trying again in {}: {}", backoff, e.getMessage());
                pause(backoff);
            }
        }
    }

    /**
     * The secrets of the claimed endpoints, in one query, before the deliveries start; should it fail, each delivery
     * reads its own.
     */
    private void refreshSecrets(List<Claim> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            secrets.refresh(batch.stream().map(claim -> claim.endpoint().id()).toList());
        } catch (RuntimeException e) {
            log.debug(
                    "Could not refresh the signing secrets of a claim; each delivery reads its own: {}", e.toString());
        }
    }

    /**
     * The endpoints the next claim reads. All, whenever anything but new work of known
     * endpoints woke the loop, the last claim was limited by free slots (more may be due), or a poll interval has
     * passed since the last claim of all: scheduled retries, hand-backs, ended leases and other instances' work are
     * found then, as often as when nothing wakes the loop. None (an empty scope) when the wake-up's work was taken by
     * the claim before.
     */
    private ClaimStore.Scope endpointsToClaim(boolean lastClaimLimited) {
        long now = System.nanoTime();
        synchronized (wake) {
            boolean all = claimAllRequested
                    || lastClaimLimited
                    || now - claimedAllAt >= settings.pollInterval().toNanos();
            ClaimStore.Scope scope = all ? ClaimStore.Scope.ALL : ClaimStore.Scope.of(hinted);
            hinted.clear();
            if (all) {
                claimAllRequested = false;
                claimedAllAt = now;
            }
            return scope;
        }
    }

    /** The pause when nothing more is due: until the next claim of all is due, or a poll interval if that is past. */
    private Duration untilClaimOfAll() {
        long left = settings.pollInterval().toNanos() - (System.nanoTime() - claimedAllAt);
        return left > 0 ? Duration.ofNanos(left) : settings.pollInterval();
    }

    private int claimAndDispatch(int room, int retryRoom, ClaimStore.Scope scope) {
        if (scope.endpoints() != null && scope.endpoints().isEmpty()) {
            return 0;
        }
        Instant now = Instant.now();
        long started = System.nanoTime();
        List<Claim> batch = claims.claim(
                scope,
                leasePrefix + claimSequence.incrementAndGet(),
                room,
                retryRoom,
                settings.lease(),
                guards.unavailable(now),
                guards.unavailableApplications(now));
        metrics.claimed(scope == ClaimStore.Scope.ALL, Duration.ofNanos(System.nanoTime() - started));
        refreshSecrets(batch);
        List<ClaimStore.HandBack> refused = new ArrayList<>();
        for (Claim claim : batch) {
            switch (guards.tryAcquire(claim.endpoint(), claim.application(), now)) {
                case EndpointGuards.Refusal refusal -> refused.add(new ClaimStore.HandBack(claim, refusal.retryAt()));
                case EndpointGuards.Permit permit -> {
                    slots.acquireUninterruptibly();
                    if (isRetry(claim)) {
                        retrySlots.acquireUninterruptibly();
                    }
                    workers.execute(() -> deliver(claim, permit));
                }
            }
        }
        claims.handBack(refused);
        refused.forEach(r -> metrics.handedBack());
        return batch.size();
    }

    /**
     * Sends one claimed notification and records the outcome. When it ends, the loop is woken only if this freed
     * capacity a claim had to do without: a slot of the instance while the last claim was limited by slots, or a slot
     * of an endpoint at its max concurrency (its due notifications were left unclaimed). Any other end needs no claim:
     * new work wakes the loop when it is accepted, and scheduled retries come due at the next poll. Waking on every
     * delivery made the loop claim twice per notification under a steady load, for nothing the second time.
     */
    private void deliver(Claim claim, EndpointGuards.Permit permit) {
        boolean reported = false;
        boolean freesSaturatedEndpoint = false;
        try {
            Endpoint endpoint = claim.endpoint();
            Map<String, String> headers = WebhookHeaders.of(
                    claim, secrets.of(endpoint.id()), Instant.now().getEpochSecond());
            DeliveryObservation.Delivery observed = observation.start(claim, headers);
            DeliveryResult result =
                    client.send(new DeliveryRequest(endpoint.url(), headers, claim.body(), endpoint.timeout()));
            observed.finished(result);
            Decision decision = Decision.of(
                    endpoint.policyFor(claim.eventType()), claim.roundAttemptsMade() + 1, result, Instant.now());
            freesSaturatedEndpoint = guards.saturated(permit);
            Optional<Instant> circuitOpened = guards.complete(
                    permit,
                    decision.outcome() != AttemptOutcome.FAILED && decision.outcome() != AttemptOutcome.REJECTED,
                    result.duration());
            reported = true;
            metrics.attempt(decision.outcome(), result.duration());
            record(claim, result, decision);
            // Nothing is rewritten: claims leave the endpoint out while its circuit is open, so its due rows are not
            // even read. Moving them forward instead made a burst of writes when many circuits opened at once (20 black
            // holes: 20 updates of 100 rows within 0.1 s, up to 38 ms each, on 16 pooled connections that intake and
            // claims share), and rewrote a dead endpoint's whole backlog at every failed half-open trial.
            circuitOpened.ifPresent(until -> log.warn(
                    "Circuit of endpoint {} opened: this instance leaves its notifications out of claims until {}",
                    endpoint.id(),
                    until));
        } catch (RuntimeException e) {
            log.error(
                    "Delivery of notification {} failed unexpectedly; it falls due again when its lease ends",
                    claim.notificationId(),
                    e);
        } finally {
            if (!reported) {
                freesSaturatedEndpoint = guards.saturated(permit);
                guards.release(permit);
            }
            slots.release();
            if (isRetry(claim)) {
                retrySlots.release();
            }
            if (freesSaturatedEndpoint) {
                wake();
            } else if (slotBound) {
                wakeForCapacity();
            }
        }
    }

    private void record(Claim claim, DeliveryResult result, Decision decision) {
        UUID id = claim.notificationId();
        boolean changed = attempts.write(new ClaimStore.Finish(
                claim,
                new ClaimStore.AttemptRecord(
                        settings.instanceId(),
                        result.startedAt(),
                        result.duration().toMillis(),
                        result.statusCode(),
                        result.statusCode() == null ? null : result.excerpt(),
                        result.error(),
                        decision.outcome()),
                decision.status(),
                decision.nextAttemptAt()));
        if (!changed) {
            metrics.stale();
            log.info("Attempt of notification {} recorded; it was cancelled or reclaimed meanwhile", id);
            return;
        }
        if (decision.disableEndpoint()) {
            String reason = "answered 410 Gone to notification " + id + " at " + result.startedAt();
            endpoints.disable(claim.endpoint().id(), reason);
            events.publishEvent(
                    new EndpointDisabled(claim.endpoint().id(), claim.endpoint().applicationId(), reason));
        }
        if (decision.status() != NotificationStatus.PENDING) {
            metrics.finished(decision.status());
        }
        if (decision.status() == NotificationStatus.GAVE_UP) {
            log.warn(
                    "Notification {} gave up after {} attempts: {}",
                    id,
                    claim.attemptsMade() + 1,
                    result.error() != null ? result.error() : "HTTP " + result.statusCode());
            events.publishEvent(
                    new NotificationGaveUp(id, claim.endpoint().id(), claim.attemptsMade() + 1, result.error()));
        }
    }

    /** A retry, as the claim's lanes count it: not the first attempt of its round. */
    private static boolean isRetry(Claim claim) {
        return claim.roundAttemptsMade() > 0;
    }

    /** Waits for {@code duration}, or less if woken meanwhile, or not at all if woken since the last pause. */
    private void pause(Duration duration) {
        synchronized (wake) {
            try {
                if (!wakeRequested) {
                    wake.wait(Math.max(1, duration.toMillis()));
                }
                wakeRequested = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
