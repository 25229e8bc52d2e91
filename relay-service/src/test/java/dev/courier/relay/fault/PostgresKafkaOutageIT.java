package dev.courier.relay.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import dev.courier.outbox.OutboxSchema;
import dev.courier.relay.support.KeyOrder;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.kafka.KafkaProcess;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka broker is killed for 20 s in the middle of a stream: the relay's health turns DOWN, it neither spins nor
 * floods, and once the broker is back it publishes everything, in key order, without a restart.
 */
class PostgresKafkaOutageIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final int KEYS = 20;
    static final int ROUNDS = 1_200;
    static final Duration OUTAGE = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void survivesABrokerOutageMidStreamWithoutLossOrRestart() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        Outbox outbox = Outbox.builder(DB.dataSource()).build();
        AtomicInteger written = new AtomicInteger();
        try (KafkaProcess kafka = KafkaProcess.start();
                TopicReader reader = new TopicReader("outbox.event.outage", kafka.bootstrapServers());
                RelayInstance relay = RelayInstance.start(
                        DB.database(),
                        "relay-outage",
                        Map.of(
                                "courier.relay.kafka.bootstrap-servers", kafka.bootstrapServers(),
                                "courier.relay.failure.send-timeout", "6s",
                                "courier.relay.failure.backoff-initial", "200ms",
                                "courier.relay.failure.backoff-max", "2s"))) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(outbox, written));
            await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= ROUNDS / 5);
            assertThat(health(relay)).isEqualTo(200);

            long killedAt = System.nanoTime();
            kafka.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> health(relay) == 503);
            double fetchesAtDown = fetches(relay);
            // The outage itself: a fixed span of broker downtime, not a wait for a condition.
            long remaining = OUTAGE.toNanos() - (System.nanoTime() - killedAt);
            if (remaining > 0) {
                LockSupport.parkNanos(remaining);
            }
            double fetchesDuringOutage = fetches(relay) - fetchesAtDown;
            assertThat(health(relay)).isEqualTo(503);
            kafka.startAgain();

            writer.get();
            await().atMost(Duration.ofSeconds(90)).until(() -> distinctIds(reader.poll()) == KEYS * ROUNDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> health(relay) == 200);

            KeyOrder order = KeyOrder.check(reader.poll());
            assertThat(order.violations()).isEmpty();
            assertThat(order.seenPerKey())
                    .hasSize(KEYS)
                    .allSatisfy((key, seen) -> assertThat(seen).isEqualTo(ROUNDS));
            // With the circuit open the relay backs off: a handful of probes, not a busy loop.
            assertThat(fetchesDuringOutage).isLessThan(100);
        }
    }

    private static void write(Outbox outbox, AtomicInteger written) {
        for (int round = 0; round < ROUNDS; round++) {
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                List<OutboxMessage> messages = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    messages.add(new OutboxMessage("outage", key, "Counted", KeyOrder.payload(key, round), Map.of()));
                }
                outbox.on(c).publishAll(messages);
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            written.incrementAndGet();
            // Pacing: spread the stream over about 30 s so that the outage falls in its middle.
            LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
        }
    }

    private static int health(RelayInstance relay) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static double fetches(RelayInstance relay) {
        return relay.bean(MeterRegistry.class).counter("courier.relay.fetches").count();
    }

    private static int distinctIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(
                record -> ids.add(new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8)));
        return ids.size();
    }
}
