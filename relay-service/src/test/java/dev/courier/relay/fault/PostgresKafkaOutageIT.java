package dev.courier.relay.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.KafkaProcess;
import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyedStream;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kafka broker is killed for 20 s in the middle of a stream: the relay's health turns DOWN, it neither spins nor
 * floods, and once the broker is back it publishes everything, in key order, without a restart. In both modes.
 */
class PostgresKafkaOutageIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final int KEYS = 20;
    static final int ROUNDS = 1_200;
    static final Duration OUTAGE = Duration.ofSeconds(20);
    static final String SLOT = ReplicationSlots.unique("courier_outage_it");

    @AfterEach
    void dropSlot() {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"polling", "cdc"})
    void survivesABrokerOutageMidStreamWithoutLossOrRestart(String mode) throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        // Spread over about 30 s so that the outage falls in its middle.
        KeyedStream stream = new KeyedStream(DB.dataSource(), "outage", KEYS, ROUNDS, Duration.ofMillis(25));
        try (KafkaProcess kafka = KafkaProcess.start();
                TopicReader reader = new TopicReader("outbox.event.outage", kafka.bootstrapServers());
                RelayInstance relay = RelayInstance.start(
                        DB.database(),
                        "relay-outage",
                        Map.of(
                                "courier.relay.mode",
                                mode,
                                "courier.relay.cdc.slot",
                                SLOT,
                                "spring.kafka.bootstrap-servers",
                                kafka.bootstrapServers(),
                                "courier.relay.failure.send-timeout",
                                "6s",
                                "courier.relay.failure.backoff-initial",
                                "200ms",
                                "courier.relay.failure.backoff-max",
                                "2s"))) {
            CompletableFuture<Void> writer = stream.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.roundsWritten() >= ROUNDS / 5);
            assertThat(relay.http().health()).isEqualTo(200);

            long killedAt = System.nanoTime();
            kafka.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.http().health() == 503);
            double fetchesAtDown = fetches(relay);
            // The outage itself: a fixed span of broker downtime, not a wait for a condition.
            long remaining = OUTAGE.toNanos() - (System.nanoTime() - killedAt);
            if (remaining > 0) {
                LockSupport.parkNanos(remaining);
            }
            double fetchesDuringOutage = fetches(relay) - fetchesAtDown;
            assertThat(relay.http().health()).isEqualTo(503);
            kafka.startAgain();

            writer.get();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> KeyedStream.distinctIds(reader.poll()) == stream.messages());
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.http().health() == 200);

            stream.assertDeliveredInKeyOrder(reader.poll());
            // With the circuit open the relay backs off: a handful of probes, not a busy loop. (Polling counts its
            // fetches; the change stream has nothing to poll, and its retries wait out the same back-off.)
            if (mode.equals("polling")) {
                assertThat(fetchesDuringOutage).isLessThan(100);
            }
        }
    }

    private static double fetches(RelayInstance relay) {
        return relay.bean(MeterRegistry.class).counter("courier.relay.fetches").count();
    }
}
