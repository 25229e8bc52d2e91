package dev.courier.relay.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.database.LocalPostgres;
import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyedStream;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL is stopped for a few seconds in the middle of a stream and started again: the relay's health turns DOWN,
 * it reconnects by itself (polling: the pool and the LISTEN connection; cdc: the leader session and the Debezium
 * engine on the same slot), and every message arrives in key order, without a restart of the relay.
 */
class PostgresRestartIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final int KEYS = 20;
    static final int ROUNDS = 1_000;
    static final Duration DOWNTIME = Duration.ofSeconds(6);
    static final String SLOT = ReplicationSlots.unique("courier_pgrestart_it");

    @AfterEach
    void dropSlot() {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"polling", "cdc"})
    void recoversFromADatabaseRestartWithoutARestartOfItsOwn(String mode) throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        LocalPostgres postgres = LocalPostgres.courier();
        boolean polling = mode.equals("polling");
        // The writer retries rounds while the database is down, as an application would.
        String type = "pgrestart-" + mode;
        KeyedStream stream = new KeyedStream(DB.dataSource(), type, KEYS, ROUNDS, Duration.ofMillis(20));
        try (TopicReader reader = new TopicReader("outbox.event." + type);
                RelayInstance relay = RelayInstance.start(
                        DB.database(),
                        "relay-pgrestart",
                        Map.of(
                                "courier.relay.mode", mode,
                                "courier.relay.cdc.slot", SLOT,
                                // With a one-minute safety poll, prompt delivery after the restart needs LISTEN back.
                                "courier.relay.poll.safety-interval", "60s",
                                "courier.relay.failure.backoff-initial", "200ms",
                                "courier.relay.failure.backoff-max", "2s"))) {
            CompletableFuture<Void> writer = stream.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            stream.roundsWritten() >= ROUNDS / 4 && relay.http().health() == 200);

            postgres.stop();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.http().health() == 503);
                // The outage itself: a fixed span of database downtime, not a wait for a condition.
                LockSupport.parkNanos(DOWNTIME.toNanos());
                if (polling) {
                    assertThat(relay.relay().listening()).isFalse();
                }
            } finally {
                postgres.start();
            }

            if (polling) {
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.relay().listening());
            }
            writer.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.deliveredInKeyOrder(reader.poll()));
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.http().health() == 200);

            stream.assertDeliveredInKeyOrder(reader.poll());
            assertThat(stream.retries()).as("the writer saw the outage too").isPositive();
        }
    }
}
