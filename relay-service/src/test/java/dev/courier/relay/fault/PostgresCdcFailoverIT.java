package dev.courier.relay.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyedStream;
import dev.courier.relay.support.OutboxRows;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.RelayProcess;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three relay processes in cdc mode share one slot; the leader is killed with SIGKILL twice in the middle of a stream.
 * Each time another instance must lead and deliver new messages within 15 s, and in the end every message has
 * arrived, in key order.
 */
class PostgresCdcFailoverIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_failover_it");
    static final int KEYS = 20;
    static final int ROUNDS = 2_000;
    static final int KILLS = 2;
    static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);

    @AfterEach
    void dropSlot() {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    @Test
    void anotherInstanceTakesOverWithinFifteenSecondsWhenTheLeaderIsKilled() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        // About 70 s of writing at roughly 550 messages per second.
        KeyedStream stream = new KeyedStream(DB.dataSource(), "failover", KEYS, ROUNDS, Duration.ofMillis(35));
        Map<String, String> settings = new LinkedHashMap<>(RelayInstance.settings(DB.database(), "relay-failover"));
        settings.put("courier.relay.mode", "cdc");
        settings.put("courier.relay.cdc.slot", SLOT);
        settings.put("courier.relay.cdc.leader-check-interval", "500ms");
        List<RelayProcess> relays = new ArrayList<>();
        try (TopicReader reader = new TopicReader("outbox.event.failover")) {
            for (int i = 1; i <= 3; i++) {
                settings.put("courier.relay.member-id", "relay-failover-" + i);
                relays.add(RelayProcess.start("relay-failover-" + i, settings));
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> leader(relays).isPresent());
            CompletableFuture<Void> writer = stream.start();

            List<Duration> takeovers = new ArrayList<>();
            List<java.time.Instant> killTimes = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                int progress = KeyedStream.distinctIds(reader.poll()) + 20 * KEYS;
                await().atMost(Duration.ofSeconds(60)).until(() -> KeyedStream.distinctIds(reader.poll()) >= progress);
                RelayProcess leader = leader(relays).orElseThrow();
                leader.kill();
                long killedAt = System.nanoTime();
                killTimes.add(java.time.Instant.now());
                relays.remove(leader);
                int deliveredAtKill = KeyedStream.distinctIds(reader.poll());

                // A new leader, and messages written after the kill delivered through it.
                await().atMost(TAKEOVER_LIMIT)
                        .until(() -> leader(relays).isPresent()
                                && KeyedStream.distinctIds(reader.poll()) >= deliveredAtKill + 10 * KEYS);
                takeovers.add(Duration.ofNanos(System.nanoTime() - killedAt));
                assertThat(writer)
                        .as("the kill fell in the middle of the stream")
                        .isNotDone();
            }

            writer.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.deliveredInKeyOrder(reader.poll()));
            stream.assertDeliveredInKeyOrder(reader.poll());
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> OutboxRows.count(DB.dataSource(), "failover") == 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "published rows were not removed: " + OutboxRows.describe(DB.dataSource(), "failover", SLOT)
                                + "; kills at " + killTimes,
                        e);
            }
            assertThat(takeovers)
                    .hasSize(KILLS)
                    .allSatisfy(took -> assertThat(took).isLessThanOrEqualTo(TAKEOVER_LIMIT));
            System.out.println("cdc leader takeovers (kill to new messages delivered): " + takeovers);
        } finally {
            relays.forEach(RelayProcess::close);
        }
    }

    /** The instance whose health reports that it leads the slot and runs the engine. */
    private static Optional<RelayProcess> leader(List<RelayProcess> relays) {
        for (RelayProcess relay : relays) {
            try {
                if (relay.http()
                        .get("/actuator/health", RelayInstance.TOKEN)
                        .body()
                        .contains("\"state\":\"LEADING\"")) {
                    return Optional.of(relay);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
