package dev.courier.relay.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyedStream;
import dev.courier.relay.support.OutboxRows;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service switches its relay from polling to cdc and back while its writers keep going: every message arrives, in
 * key order, and the switch back leaves no slot holding WAL.
 */
class PostgresModeSwitchIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_switch_it");
    static final int KEYS = 10;
    static final int ROUNDS = 900;

    @AfterEach
    void dropSlot() {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    @Test
    void switchingFromPollingToCdcAndBackLosesAndReordersNothing() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        // About 25 s of writing: each phase below sees part of it.
        KeyedStream stream = new KeyedStream(DB.dataSource(), "switch", KEYS, ROUNDS, Duration.ofMillis(25));
        try (TopicReader reader = new TopicReader("outbox.event.switch")) {
            CompletableFuture<Void> writer = stream.start();

            runUntil("polling", "relay-polling-1", reader, stream, ROUNDS / 4);
            runUntil("cdc", "relay-cdc", reader, stream, ROUNDS / 2);
            assertThat(ReplicationSlots.count(DB.dataSource(), SLOT))
                    .as("the cdc relay created its slot")
                    .isEqualTo(1);
            try (RelayInstance polling = RelayInstance.start(DB.database(), "relay-polling-2", settings("polling"))) {
                writer.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> stream.deliveredInKeyOrder(reader.poll()));
                stream.assertDeliveredInKeyOrder(reader.poll());
                await().atMost(Duration.ofSeconds(30)).until(() -> OutboxRows.count(DB.dataSource(), "switch") == 0);
                // The unread slot of the cdc phase is dropped, so it holds no WAL after the switch back.
                await().atMost(Duration.ofSeconds(30)).until(() -> ReplicationSlots.count(DB.dataSource(), SLOT) == 0);
            }
        }
    }

    /** Runs a relay in {@code mode} until the stream wrote {@code rounds} rounds and it published some of them. */
    private static void runUntil(String mode, String member, TopicReader reader, KeyedStream stream, int rounds) {
        try (RelayInstance relay = RelayInstance.start(DB.database(), member, settings(mode))) {
            int before = KeyedStream.distinctIds(reader.poll());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> stream.roundsWritten() >= rounds
                            && KeyedStream.distinctIds(reader.poll()) >= before + 10 * KEYS);
        }
    }

    private static Map<String, String> settings(String mode) {
        Map<String, String> settings = new HashMap<>();
        settings.put("courier.relay.mode", mode);
        settings.put("courier.relay.cdc.slot", SLOT);
        return settings;
    }
}
