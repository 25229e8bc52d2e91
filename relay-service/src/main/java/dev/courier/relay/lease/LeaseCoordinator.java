package dev.courier.relay.lease;

import dev.courier.relay.Lease;
import dev.courier.relay.engine.RelayEngine;
import dev.courier.supervision.LoopHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this member's share of the partitions: every renew interval it heartbeats, renews its leases, learns which
 * it lost, releases its surplus once drained, and claims free or expired partitions up to its fair share
 * ({@code ceil(partitions / live members)}). It also follows the cluster-wide pause switch.
 *
 * <p>Publishing is fenced in time as well: a lease counts as valid locally until the start of its last successful
 * renewal plus the TTL minus one renew interval, so a member cut off from the database stops publishing before its
 * lease can expire and move to someone else.
 *
 * <p>A round that fails, whatever it throws, is retried at the next interval and reported in the {@code leases} loop's
 * health until a round succeeds.
 */
public final class LeaseCoordinator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseCoordinator.class);

    private final String member;
    private final LeaseStore store;
    private final RelayControl control;
    private final RelayEngine engine;
    private final int partitions;
    private final Duration ttl;
    private final Duration renewInterval;
    private final ScheduledExecutorService scheduler;
    /** Partitions being handed over, with the lease to release once drained. */
    private final Map<Integer, Lease> releasing = new HashMap<>();

    private final LoopHealth health;
    private Map<Integer, Long> held = Map.of();

    public LeaseCoordinator(
            String member,
            LeaseStore store,
            RelayControl control,
            RelayEngine engine,
            int partitions,
            Duration ttl,
            Duration renewInterval,
            LoopHealth health) {
        this.member = member;
        this.store = store;
        this.control = control;
        this.engine = engine;
        this.partitions = partitions;
        this.ttl = ttl;
        this.renewInterval = renewInterval;
        this.health = health;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("courier-relay-leases").daemon(true).factory());
    }

    public void start() {
        store.ensurePartitions(partitions);
        scheduler.scheduleWithFixedDelay(health.guard(this::tick), 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** False before the first round and while the last heartbeat or renewal failed. */
    public boolean healthy() {
        return health.isUp();
    }

    public String member() {
        return member;
    }

    /** One round; what it throws is reported by the loop's guard (publishing stops when the leases run out). */
    private void tick() {
        long started = System.nanoTime();
        long validUntil = started + ttl.minus(renewInterval).toNanos();
        store.heartbeat(member);
        Map<Integer, Long> renewed = store.renew(member, ttl);
        noticeLosses(renewed);
        renewed.forEach((partition, epoch) -> {
            if (!releasing.containsKey(partition)) {
                engine.renewed(new Lease(partition, epoch), validUntil);
            }
        });
        held = renewed;
        rebalance(validUntil);
        followPauseSwitch();
        store.forgetMembersSilentFor(ttl.multipliedBy(30));
    }

    private void noticeLosses(Map<Integer, Long> renewed) {
        List<Integer> lost = new ArrayList<>();
        for (Map.Entry<Integer, Long> entry : held.entrySet()) {
            Long epoch = renewed.get(entry.getKey());
            if (epoch == null || !epoch.equals(entry.getValue())) {
                lost.add(entry.getKey());
                engine.lost(entry.getKey());
                releasing.remove(entry.getKey());
            }
        }
        if (!lost.isEmpty()) {
            log.warn("Lost partition(s) {} to another relay (lease expired or taken over)", lost);
        }
    }

    private void rebalance(long validUntil) {
        int live = Math.max(1, store.liveMembers(ttl));
        int share = (partitions + live - 1) / live;
        int keeping = held.size() - releasing.size();
        if (keeping > share) {
            List<Integer> surplus = new ArrayList<>(held.keySet());
            surplus.removeAll(releasing.keySet());
            surplus.sort(null);
            List<Integer> handing = surplus.subList(share, surplus.size());
            log.info("{} live relay(s), fair share {}: handing over partition(s) {}", live, share, handing);
            for (int partition : handing) {
                handOver(new Lease(partition, held.get(partition)));
            }
        } else if (keeping < share) {
            claim(share - keeping, validUntil);
        }
    }

    private void followPauseSwitch() {
        boolean paused = control.paused();
        if (paused != engine.paused()) {
            if (paused) {
                engine.pause();
            } else {
                engine.resume();
            }
            log.info("Publishing {} by the cluster-wide switch", paused ? "paused" : "resumed");
        }
    }

    /** Drains the partition (its in-flight batch is acknowledged and deleted), then releases the lease. */
    private void handOver(Lease lease) {
        releasing.put(lease.partition(), lease);
        CompletableFuture<Void> drained = engine.drain(lease.partition());
        drained.thenRunAsync(
                () -> {
                    try {
                        store.release(lease, member);
                        Map<Integer, Long> now = new HashMap<>(held);
                        now.remove(lease.partition());
                        held = now;
                        log.debug("Released partition {} after draining it", lease.partition());
                    } catch (RuntimeException e) {
                        log.warn(
                                "Could not release partition {} (it will expire): {}",
                                lease.partition(),
                                e.getMessage());
                    } finally {
                        releasing.remove(lease.partition());
                    }
                },
                scheduler);
    }

    private void claim(int wanted, long validUntil) {
        int claimed = 0;
        List<Integer> free = store.claimable(partitions);
        // Start at a member-specific offset so that members arriving together mostly try different partitions.
        int offset = free.isEmpty() ? 0 : Math.floorMod(member.hashCode(), free.size());
        for (int i = 0; i < free.size() && claimed < wanted; i++) {
            int partition = free.get((i + offset) % free.size());
            if (held.containsKey(partition)) {
                continue;
            }
            var lease = store.claim(partition, member, ttl);
            if (lease.isPresent()) {
                claimed++;
                engine.assign(lease.get(), validUntil);
                Map<Integer, Long> now = new HashMap<>(held);
                now.put(partition, lease.get().epoch());
                held = now;
            }
        }
        if (claimed > 0) {
            log.info("Claimed {} partition(s); holding {}", claimed, engine.owned());
        }
    }

    /** Stops renewing and releases every lease this member holds, so the others take over without waiting. */
    @Override
    public void close() {
        health.stopped();
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(renewInterval.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.leave(member);
        } catch (RuntimeException e) {
            log.warn("Could not release the leases on shutdown (they will expire): {}", e.getMessage());
        }
    }
}
