package dev.courier.relay.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyedStream;
import dev.courier.relay.support.OutboxRows;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.RelayProcess;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay runs as a separate JVM from its executable jar and is killed with SIGKILL six times during a
 * 100,000-message stream, each time after it made progress. Every incarnation uses the same member name, as a
 * restarted pod would. The consumer must end up with every message, in key order per key.
 */
class PostgresRelayCrashIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final int KEYS = 50;
    static final int ROUNDS = 2_000;
    static final int KILLS = 6;
    /** What each incarnation must publish before it is killed, so that every kill interrupts real work. */
    static final int PROGRESS_PER_INCARNATION = 1_000;

    @Test
    void losesNothingWhenTheRelayProcessIsKilledRepeatedlyMidStream() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        // About 90 s of writing at roughly 1,100 messages per second.
        KeyedStream stream = new KeyedStream(DB.dataSource(), "crash", KEYS, ROUNDS, Duration.ofMillis(40));
        Map<String, String> settings = RelayInstance.settings(DB.database(), "relay-crash");
        int killsWhileWriting = 0;
        try (TopicReader reader = new TopicReader("outbox.event.crash")) {
            CompletableFuture<Void> writer = stream.start();
            for (int kill = 1; kill <= KILLS; kill++) {
                int killAfterRound = ROUNDS * kill / (KILLS + 2);
                try (RelayProcess relay = RelayProcess.start("relay-crash-" + kill, settings)) {
                    int publishedBefore = reader.poll().size();
                    await().atMost(Duration.ofSeconds(90))
                            .until(() -> stream.roundsWritten() >= killAfterRound
                                    && reader.poll().size() >= publishedBefore + PROGRESS_PER_INCARNATION);
                    assertThat(relay.isAlive()).as("see %s", relay.log()).isTrue();
                    relay.kill();
                }
                if (!writer.isDone()) {
                    killsWhileWriting++;
                }
            }
            assertThat(killsWhileWriting).isGreaterThanOrEqualTo(5);

            try (RelayProcess survivor = RelayProcess.start("relay-crash-survivor", settings)) {
                writer.get();
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> KeyedStream.distinctIds(reader.poll()) == stream.messages());
                stream.assertDeliveredInKeyOrder(reader.poll());
                // Everything published was deleted by an owner holding a valid lease.
                await().atMost(Duration.ofSeconds(30)).until(() -> OutboxRows.count(DB.dataSource(), "crash") == 0);
            }
        }
    }
}
