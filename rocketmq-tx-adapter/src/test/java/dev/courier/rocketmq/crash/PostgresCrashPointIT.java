package dev.courier.rocketmq.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.database.LocalPostgres;
import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import dev.courier.outbox.Database;
import dev.courier.rocketmq.TransactionalMessage;
import dev.courier.rocketmq.TransactionalSendResult;
import dev.courier.rocketmq.TransactionalSender;
import dev.courier.rocketmq.fence.FenceStatus;
import dev.courier.rocketmq.fence.FenceStore;
import dev.courier.rocketmq.support.Orders;
import dev.courier.rocketmq.support.TopicConsumer;
import dev.courier.testsupport.database.TestDatabaseExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer as a separate JVM, SIGKILLed at each crash point of a transactional send; another producer of the same
 * group answers the broker's check-back from the fence row. The message must be delivered if and only if the
 * business row committed.
 */
class PostgresCrashPointIT {

    private static final Logger log = LoggerFactory.getLogger(PostgresCrashPointIT.class);

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    /** Kills of the randomized test; at least 100 (the bar), more with {@code -Dcourier.test.crash-runs}. */
    static final int CRASH_RUNS = Integer.getInteger("courier.test.crash-runs", 100);

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** First check-back after the broker's transaction timeout, then one per check interval: a few rounds suffice. */
    static final Duration CHECK_BACK_TIMEOUT = Duration.ofSeconds(60);

    static final String TOPIC = "courier-crash-" + UUID.randomUUID().toString().substring(0, 8);

    static TopicConsumer consumer;
    static FenceStore fence;

    @TempDir
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        Orders.createTables(DB.dataSource());
        EmbeddedRocketMq.createTopic(TOPIC);
        fence = new FenceStore(DB.dataSource(), Database.POSTGRESQL, "courier_tx_fence", Duration.ofSeconds(5));
        consumer = new TopicConsumer(EmbeddedRocketMq.nameServer(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }

    @ParameterizedTest(name = "killed {0}: delivered = {1}")
    @CsvSource({
        // (a) the half message is stored; the local transaction has not written anything.
        "HOLD_BEFORE_WORK, false, ROLLED_BACK",
        // (c) the business row is written but not committed: the database rolls it back when the connection dies.
        "HOLD_MID_WORK, false, ROLLED_BACK",
        // (b) the local transaction committed; the broker never heard of it.
        "HOLD_AFTER_COMMIT, true, COMMITTED"
    })
    void aProducerStartedAfterTheCrashAnswersTheCheckBackFromTheFenceRow(
            CrashingProducer.Mode crashPoint, boolean delivered, FenceStatus decided) throws Exception {
        String group = uniqueName("courier-crash");
        String transactionId;
        try (CrashingProducerProcess crashing = CrashingProducerProcess.start(
                EmbeddedRocketMq.nameServer(),
                group,
                TOPIC,
                DB.database(),
                crashPoint,
                uniqueName(crashPoint.name().toLowerCase()),
                1,
                logs)) {
            transactionId = crashing.awaitHold(START_TIMEOUT);
            crashing.kill();
        }

        // The only producer of the group left is one started after the crash: the broker must ask it.
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TransactionalSender successor = sender(group, meters)) {
            if (delivered) {
                consumer.await(transactionId, CHECK_BACK_TIMEOUT);
            } else {
                await("the check-back to fence transaction " + transactionId + " off")
                        .atMost(CHECK_BACK_TIMEOUT)
                        .until(() -> fence.find(transactionId) != null);
                // Rolled back for good: a message committed afterwards arrives, the crashed one never does.
                TransactionalSendResult<Integer> later = successor.send(
                        TransactionalMessage.of(TOPIC, "later", "later".getBytes(StandardCharsets.UTF_8)),
                        connection -> 0);
                consumer.await(later.transactionId(), CHECK_BACK_TIMEOUT);
                assertThat(consumer.received(transactionId)).isFalse();
            }
            assertThat(fence.find(transactionId)).isEqualTo(decided);
            assertThat(orderIds(transactionId).contains(transactionId))
                    .as("business row committed")
                    .isEqualTo(delivered);
            String answer = delivered ? "commit" : "rollback";
            assertThat(checks(meters, answer))
                    .as("check-backs the successor answered with " + answer)
                    .isPositive();
        }
    }

    @Test
    void aCheckBackWhileTheDatabaseIsDownAnswersUnknownThenTheRightAnswerOnceItIsBack() throws Exception {
        String group = uniqueName("courier-outage");
        String transactionId;
        try (CrashingProducerProcess crashing = CrashingProducerProcess.start(
                EmbeddedRocketMq.nameServer(),
                group,
                TOPIC,
                DB.database(),
                CrashingProducer.Mode.HOLD_AFTER_COMMIT,
                uniqueName("outage"),
                1,
                logs)) {
            transactionId = crashing.awaitHold(START_TIMEOUT);
            crashing.kill();
        }
        // A data source without a pool: while the database is down each check fails at once, as with a pool whose
        // connection timeout is short.
        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setURL(DB.database().jdbcUrl());
        unpooled.setUser(DB.database().user());
        unpooled.setPassword(DB.database().password());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LocalPostgres postgres = LocalPostgres.courier();
        postgres.stop();
        try (TransactionalSender successor = TransactionalSender.builder(unpooled)
                .nameServer(EmbeddedRocketMq.nameServer())
                .group(group)
                .topics(List.of(TOPIC))
                .database(Database.POSTGRESQL)
                .meterRegistry(meters)
                .build()) {
            successor.start();
            try {
                await("a check-back answered UNKNOW while the database is down")
                        .atMost(CHECK_BACK_TIMEOUT)
                        .until(() -> checks(meters, "unknown") > 0);
                assertThat(consumer.received(transactionId)).isFalse();
            } finally {
                postgres.start();
            }
            // The broker asks again; now the fence row answers, and the committed transaction's message arrives.
            consumer.await(transactionId, CHECK_BACK_TIMEOUT);
            assertThat(checks(meters, "commit")).isPositive();
            assertThat(checks(meters, "rollback")).isZero();
            assertThat(fence.find(transactionId)).isEqualTo(FenceStatus.COMMITTED);
        }
    }

    @Test
    void aHundredRandomCrashesDeliverExactlyTheCommittedTransactions() throws Exception {
        String group = uniqueName("courier-random-crash");
        Map<String, String> lastPhases = new HashMap<>();
        Map<String, Integer> inFlightAtKill = new TreeMap<>();
        // A survivor of the group answers the check-backs of every crashed producer's transactions.
        try (TransactionalSender survivor = sender(group, new SimpleMeterRegistry())) {
            for (int run = 0; run < CRASH_RUNS; run++) {
                try (CrashingProducerProcess crashing = CrashingProducerProcess.start(
                        EmbeddedRocketMq.nameServer(),
                        group,
                        TOPIC,
                        DB.database(),
                        CrashingProducer.Mode.RANDOM,
                        "run" + run + "-" + UUID.randomUUID().toString().substring(0, 6),
                        3,
                        logs)) {
                    crashing.awaitStarted(1, START_TIMEOUT);
                    // The crash itself: a random moment while transactions are in flight, not a wait for a condition.
                    LockSupport.parkNanos(
                            Duration.ofMillis(ThreadLocalRandom.current().nextInt(300))
                                    .toNanos());
                    crashing.kill();
                    Map<String, String> phases = crashing.lastPhases();
                    phases.values().stream()
                            .filter(phase -> !phase.equals("SENT"))
                            .forEach(phase -> inFlightAtKill.merge(phase, 1, Integer::sum));
                    lastPhases.putAll(phases);
                }
            }

            // Every transaction that began has its half message at the broker: committed, or fenced off by a check.
            Set<String> began = lastPhases.keySet();
            await("a fence row for each of the " + began.size() + " transactions that began")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> fenceRows(began).size() == began.size());
            Map<String, FenceStatus> fenceRows = fenceRows(began);
            Set<String> committed = orderIds("run");
            await("delivery of the " + committed.size() + " committed transactions")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> committed.stream().allMatch(consumer::received));

            List<String> violations = new ArrayList<>();
            for (String transactionId : began) {
                boolean rowCommitted = committed.contains(transactionId);
                if (consumer.received(transactionId) != rowCommitted) {
                    violations.add(transactionId + " (business row committed: " + rowCommitted + ", last phase "
                            + lastPhases.get(transactionId) + ")");
                }
                if ((fenceRows.get(transactionId) == FenceStatus.COMMITTED) != rowCommitted) {
                    violations.add(transactionId + " fence " + fenceRows.get(transactionId) + " vs business row "
                            + rowCommitted);
                }
            }
            log.info(
                    "{} crash runs: {} transactions began, {} committed, in flight at the kill by last phase: {}",
                    CRASH_RUNS,
                    began.size(),
                    committed.size(),
                    inFlightAtKill);
            assertThat(violations)
                    .as("delivered if and only if the business row committed")
                    .isEmpty();
            assertThat(committed)
                    .as("committed rows of transactions that no producer began")
                    .isSubsetOf(began);
            // Every crash point was hit by some kill.
            assertThat(inFlightAtKill).containsKeys("STARTED", "INSERTED", "COMMITTED");
        }
    }

    private static TransactionalSender sender(String group, SimpleMeterRegistry meters) {
        TransactionalSender sender = TransactionalSender.builder(DB.dataSource())
                .nameServer(EmbeddedRocketMq.nameServer())
                .group(group)
                .topics(List.of(TOPIC))
                .meterRegistry(meters)
                .build();
        sender.start();
        return sender;
    }

    private static double checks(SimpleMeterRegistry meters, String answer) {
        var counter =
                meters.find("courier.rocketmq.checks").tag("answer", answer).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, FenceStatus> fenceRows(Set<String> transactionIds) throws SQLException {
        Map<String, FenceStatus> rows = new HashMap<>();
        try (Connection c = DB.dataSource().getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT tx_id, status FROM courier_tx_fence WHERE tx_id = ANY(?)")) {
            select.setArray(1, c.createArrayOf("varchar", transactionIds.toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), FenceStatus.valueOf(result.getString(2)));
                }
            }
        }
        return rows;
    }

    private static Set<String> orderIds(String prefix) throws SQLException {
        return Orders.idsStartingWith(DB.dataSource(), prefix);
    }
}
