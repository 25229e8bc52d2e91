package dev.courier.relay;

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

/** Three relays under churn while a writer streams: every message arrives, in key order, duplicates only as prefixes. */
class PostgresRelayChurnIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final int KEYS = 25;
    static final int ROUNDS = 400;

    @Test
    void deliversEveryMessageInKeyOrderWhileRelaysComeAndGo() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        Outbox outbox = Outbox.builder(DB.dataSource()).build();
        AtomicInteger written = new AtomicInteger();
        List<RelayInstance> running = new ArrayList<>();
        int started = 0;
        try (TopicReader reader = new TopicReader("outbox.event.churn")) {
            for (; started < 3; started++) {
                running.add(RelayInstance.start(DB.database(), "relay-" + started, Map.of()));
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(outbox, written));

            // Churn at fixed points of the stream: stop the oldest relay, start a new one.
            for (int step = 1; step <= 4; step++) {
                int mark = ROUNDS * step / 5;
                await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= mark || writer.isDone());
                running.removeFirst().close();
                running.add(RelayInstance.start(DB.database(), "relay-" + started++, Map.of()));
            }
            writer.get();

            List<ConsumerRecord<byte[], byte[]>> records = reader.awaitAtLeast(KEYS * ROUNDS, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).until(() -> distinctIds(reader.poll()) == KEYS * ROUNDS);
            records = reader.poll();

            KeyOrder order = KeyOrder.check(records);
            assertThat(order.violations()).isEmpty();
            assertThat(order.seenPerKey())
                    .hasSize(KEYS)
                    .allSatisfy((key, seen) -> assertThat(seen).isEqualTo(ROUNDS));
        } finally {
            running.forEach(RelayInstance::close);
        }
    }

    /** One transaction per round with one message per key; paced so that the stream outlasts the churn. */
    private static void write(Outbox outbox, AtomicInteger written) {
        for (int round = 0; round < ROUNDS; round++) {
            try (Connection c = DB.dataSource().getConnection()) {
                c.setAutoCommit(false);
                List<OutboxMessage> messages = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    messages.add(new OutboxMessage("churn", key, "Counted", KeyOrder.payload(key, round), Map.of()));
                }
                outbox.on(c).publishAll(messages);
                c.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            written.incrementAndGet();
            LockSupport.parkNanos(Duration.ofMillis(15).toNanos());
        }
    }

    private static int distinctIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(
                record -> ids.add(new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8)));
        return ids.size();
    }
}
