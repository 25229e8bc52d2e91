package dev.courier.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fetch floors on PostgreSQL: after a drain, a partition's fetch starts above the rows it published instead of walking
 * their index entries; and a row whose transaction drew its seq before later rows committed is still published, also
 * when that transaction had no transaction id yet while the floor could have risen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFetchFloorIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    private static final int PARTITIONS = 32;
    /** Rows of this aggregate id wait in a BEFORE INSERT trigger, after drawing their seq, until the test lets go. */
    private static final String SLOW_KEY = "slow-writer";

    private static final long TRIGGER_LOCK = 4242;

    private RelayInstance relay;
    private Outbox outbox;

    @BeforeAll
    void start() throws SQLException {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        execute("CREATE FUNCTION wait_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.aggregateid = '" + SLOW_KEY + "' THEN PERFORM pg_advisory_xact_lock(" + TRIGGER_LOCK
                + "); END IF; RETURN NEW; END $$");
        execute("CREATE TRIGGER wait_for_test BEFORE INSERT ON courier_outbox FOR EACH ROW EXECUTE FUNCTION"
                + " wait_for_test()");
        outbox = Outbox.builder(DB.dataSource()).build();
        relay = RelayInstance.start(
                DB.database(),
                "relay-floors",
                Map.of(
                        "courier.relay.kafka.topic-prefix", "floors.",
                        // No safety poll during the test: fetches follow the wake-ups of the writes.
                        "courier.relay.poll.safety-interval", "60s",
                        // Records over 2000 bytes are refused and parked after two attempts.
                        "spring.kafka.producer.properties.max.request.size", "2000",
                        "courier.relay.failure.max-attempts", "2",
                        "courier.relay.failure.backoff-initial", "100ms"));
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aPartitionsFetchStartsAboveTheRowsItPublished() throws Exception {
        int partition = OutboxPartitions.partitionOf("drained", PARTITIONS);
        try (TopicReader reader = new TopicReader("floors.drained")) {
            execute("INSERT INTO courier_outbox (id, aggregatetype, aggregateid, type, payload, headers, partition_no)"
                    + " SELECT gen_random_uuid(), 'drained', 'drained', 'Filled', 'x', '{}', " + partition
                    + " FROM generate_series(1, 5000)");
            long drainedUpTo = single("SELECT max(seq) FROM courier_outbox WHERE aggregatetype = 'drained'");
            publish("drained", "drained"); // the wake-up: the bulk insert above sends none
            reader.awaitAtLeast(5_001, Duration.ofSeconds(60));

            // Each later message of the partition is a fetch that finds a row above the drained ones.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        publish("drained", "drained");
                        return relay.relay().engine().fetchFloors().get(partition) >= drainedUpTo;
                    });
        }
    }

    @Test
    void aRowWhoseSeqWasDrawnBeforeLaterRowsCommittedIsPublishedAfterTheFloorCouldHaveRisen() throws Exception {
        int partition = OutboxPartitions.partitionOf(SLOW_KEY, PARTITIONS);
        List<String> neighbours = neighboursOf(SLOW_KEY, partition);
        try (TopicReader slowTopic = new TopicReader("floors.late");
                TopicReader neighbourTopic = new TopicReader("floors.neighbour");
                Connection gate = DB.dataSource().getConnection();
                Connection slowWriter = DB.dataSource().getConnection()) {
            slowWriter.setAutoCommit(false);
            CompletableFuture<UUID> slow = null;
            for (int attempt = 1; slow == null; attempt++) {
                untilTheNextSeqIsNotLogged();
                lock(gate);
                // The slow writer's insert draws its seq, then waits in the trigger: no transaction id assigned yet.
                // A plain insert, as a writer whose transaction has written nothing before: outbox-lib's own insert
                // asks for the transaction id first (to watch the commit), which assigns one before the seq is drawn.
                CompletableFuture<UUID> started = CompletableFuture.supplyAsync(() -> {
                    UUID id = UUID.randomUUID();
                    try (Statement insert = slowWriter.createStatement()) {
                        insert.execute("INSERT INTO courier_outbox (id, aggregatetype, aggregateid, type, payload,"
                                + " headers, partition_no) VALUES ('" + id + "', 'late', '" + SLOW_KEY + "', 'Late',"
                                + " '\\x7b7d', '{}', " + partition + ")");
                        return id;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> waitingAtTheGate("") == 1);
                if (waitingAtTheGate(" AND backend_xid IS NULL") == 1) {
                    slow = started;
                } else {
                    // Its seq was written to the WAL after all (a checkpoint came between), which assigned a
                    // transaction id: undo and draw again, until the case this test is about.
                    assertThat(attempt)
                            .as("attempts to draw a seq without a transaction id")
                            .isLessThan(5);
                    unlock(gate);
                    started.get();
                    slowWriter.rollback();
                }
            }
            long slowSeq = single("SELECT last_value FROM pg_sequences WHERE sequencename LIKE 'courier_outbox%'");
            // Later rows of the same partition commit and are published, wave after wave: fetches that would raise
            // the floor past the slow row's seq if the slow writer did not hold the table's lock.
            for (int wave = 0; wave < 5; wave++) {
                for (String key : neighbours) {
                    publish("neighbour", key);
                }
                neighbourTopic.awaitAtLeast(3 * (wave + 1), Duration.ofSeconds(15));
            }
            assertThat(relay.relay().engine().fetchFloors().get(partition))
                    .as("the floor waits for the slow writer")
                    .isLessThan(slowSeq);

            unlock(gate);
            UUID late = slow.get();
            slowWriter.commit();
            publish("neighbour", neighbours.getFirst()); // a wake-up: the plain insert above sends none

            List<ConsumerRecord<byte[], byte[]>> records = slowTopic.awaitAtLeast(1, Duration.ofSeconds(15));
            assertThat(new String(records.getFirst().headers().lastHeader("id").value(), StandardCharsets.UTF_8))
                    .isEqualTo(late.toString());
        }
    }

    @Test
    void theMessagesOfAReleasedKeyArePublishedInOrderAlsoWhenTheFloorPassedThemWhileTheyWaited() throws Exception {
        String key = "held-key";
        int partition = OutboxPartitions.partitionOf(key, PARTITIONS);
        List<String> neighbours = neighboursOf(key, partition);
        try (TopicReader held = new TopicReader("floors.held");
                TopicReader neighbourTopic = new TopicReader("floors.held-neighbour")) {
            UUID poison = publish("held", key, "x".repeat(5000));
            publish("held", key, "first-after-poison");
            publish("held", key, "second-after-poison");
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> relay.get("/admin/parked", RelayInstance.TOKEN)
                                    .body(),
                            body -> body.contains(poison.toString()));
            long heldUpTo = single("SELECT max(seq) FROM courier_outbox WHERE aggregateid = '" + key + "'");

            // The partition's other keys go on; its floor rises past the rows waiting behind the parked message.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        publish("held-neighbour", neighbours.getFirst(), "n");
                        return relay.relay().engine().fetchFloors().get(partition) > heldUpTo;
                    });
            HttpResponse<String> skip = relay.post("/admin/parked/" + poison + "/skip", RelayInstance.TOKEN);
            assertThat(skip.statusCode()).isEqualTo(200);

            List<ConsumerRecord<byte[], byte[]>> released = held.awaitAtLeast(2, Duration.ofSeconds(15));
            assertThat(released)
                    .extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                    .containsExactly("\"first-after-poison\"", "\"second-after-poison\"");
        }
    }

    private static List<String> neighboursOf(String key, int partition) {
        return IntStream.range(0, 10_000)
                .mapToObj(n -> key + "-neighbour-" + n)
                .filter(neighbour -> OutboxPartitions.partitionOf(neighbour, PARTITIONS) == partition)
                .limit(3)
                .toList();
    }

    private UUID publish(String aggregateType, String key, String value) throws SQLException {
        try (Connection connection = DB.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            UUID id = outbox.on(connection).publish(aggregateType, key, "Published", value);
            connection.commit();
            return id;
        }
    }

    private void publish(String aggregateType, String key) throws SQLException {
        try (Connection connection = DB.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            outbox.on(connection).publish(aggregateType, key, "Published", Map.of("n", 1));
            connection.commit();
        }
    }

    /**
     * Publishes until the seq sequence's next value is not written to the WAL: only then does an insert draw its seq
     * without a transaction id (every 32nd value, and the first after a checkpoint, is written and assigns one).
     */
    private void untilTheNextSeqIsNotLogged() throws SQLException {
        while (single("SELECT log_cnt FROM courier_outbox_seq_seq") < 2) {
            publish("warm-up", "warm-up");
        }
    }

    /** Sessions of this test's database waiting for the trigger's advisory lock, with {@code condition}. */
    private static long waitingAtTheGate(String condition) throws SQLException {
        return single("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND wait_event = 'advisory'" + condition);
    }

    private static void lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + TRIGGER_LOCK + ")");
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + TRIGGER_LOCK + ")");
        }
    }

    private static long single(String sql) throws SQLException {
        try (Connection connection = DB.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DB.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
