package dev.courier.relay;

import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.KeyedStream;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        KeyedStream stream = new KeyedStream(DB.dataSource(), "churn", KEYS, ROUNDS, Duration.ofMillis(15));
        List<RelayInstance> running = new ArrayList<>();
        int started = 0;
        try (TopicReader reader = new TopicReader("outbox.event.churn")) {
            for (; started < 3; started++) {
                running.add(RelayInstance.start(DB.database(), "relay-" + started, Map.of()));
            }
            CompletableFuture<Void> writer = stream.start();

            // Churn at fixed points of the stream: stop the oldest relay, start a new one.
            for (int step = 1; step <= 4; step++) {
                int mark = ROUNDS * step / 5;
                await().atMost(Duration.ofSeconds(60)).until(() -> stream.roundsWritten() >= mark || writer.isDone());
                running.removeFirst().close();
                running.add(RelayInstance.start(DB.database(), "relay-" + started++, Map.of()));
            }
            writer.get();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> KeyedStream.distinctIds(reader.poll()) == stream.messages());

            stream.assertDeliveredInKeyOrder(reader.poll());
        } finally {
            running.forEach(RelayInstance::close);
        }
    }
}
