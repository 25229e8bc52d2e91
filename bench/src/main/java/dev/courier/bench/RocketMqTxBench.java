package dev.courier.bench;

import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import dev.courier.outbox.Database;
import dev.courier.rocketmq.TransactionalMessage;
import dev.courier.rocketmq.TransactionalSender;
import dev.courier.rocketmq.fence.FenceSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * What does the adapter cost per transactional send? Four producers (and the database alone) send the same 1 KB
 * messages to the same topic of one in-process RocketMQ broker, at 1 and 8 threads, in alternating rounds:
 *
 * <ul>
 *   <li>the business transaction alone, without any message: the database's own limit;
 *   <li>bare {@code TransactionMQProducer}, trivial listener: answers COMMIT without any database work (the
 *       broker's own limit for transactional sends);
 *   <li>bare {@code TransactionMQProducer}, hand-written listener: runs the business transaction (insert one order
 *       row, commit) with plain JDBC and answers COMMIT; no fence row, so its check-back could not answer;
 *   <li>the same with a fence row written by hand in the business transaction: the limit of any sender whose
 *       check-back can answer from the database;
 *   <li>Courier's {@link TransactionalSender}: the same business transaction plus the fence row.
 * </ul>
 *
 * <p>Usage: {@code RocketMqTxBench [seconds-per-cell]}.
 */
public final class RocketMqTxBench {

    private static final int ROUNDS = 4;
    private static final int[] THREADS = {1, 8};
    private static final byte[] PAYLOAD = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
    private static final AtomicLong ORDER_IDS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Duration cell = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        String topic = "courier-bench-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedRocketMq.createTopic(topic);
        StringBuilder report = new StringBuilder();
        report.append("### RocketMQ transactional sends\n\n")
                .append("1 KB messages to one topic (4 queues) of an in-process name server + broker; the business")
                .append(" transaction inserts one order row into PostgreSQL and commits. ")
                .append(BenchResults.cellsAndMachine(cell, ROUNDS))
                .append("\n\n")
                .append("Each cell: median of the rounds (lowest–highest).\n\n")
                .append("| threads | producer | sends/s | p50 ms | p99 ms | vs trivial | vs hand-written |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|\n");
        Summary summary = new Summary("rocketmq");
        Progress progress = new Progress("rocketmq", THREADS.length, cell.multipliedBy(5 * THREADS.length));
        try (TestDatabase db = TestDatabase.create(DatabaseKind.POSTGRESQL, "bench_rocketmq")) {
            DataSource dataSource = db.dataSource();
            prepare(dataSource);
            TransactionMQProducer trivial = bareProducer("bench-trivial", committingListener(null, false));
            TransactionMQProducer handWritten = bareProducer("bench-hand", committingListener(dataSource, false));
            TransactionMQProducer handWrittenFence = bareProducer("bench-fence", committingListener(dataSource, true));
            TransactionalSender courier = TransactionalSender.builder(dataSource)
                    .nameServer(EmbeddedRocketMq.nameServer())
                    .group("bench-courier-" + UUID.randomUUID().toString().substring(0, 8))
                    .topics(List.of(topic))
                    .database(Database.POSTGRESQL)
                    .build();
            courier.start();
            try {
                List<Variant> variants = List.of(
                        new Variant("bare, trivial listener", () -> sendBare(trivial, topic)),
                        new Variant("database alone: the business transaction, no message", () -> {
                            try (Connection connection = dataSource.getConnection()) {
                                commitOrder(connection);
                            }
                        }),
                        new Variant("bare, hand-written JDBC listener", () -> sendBare(handWritten, topic)),
                        new Variant(
                                "bare, hand-written JDBC listener + a fence row by hand (the limit of any sender"
                                        + " whose check-back can answer)",
                                () -> sendBare(handWrittenFence, topic)),
                        new Variant(
                                "Courier TransactionalSender",
                                () -> courier.send(
                                        TransactionalMessage.of(topic, nextOrderId(), PAYLOAD),
                                        connection -> Orders.insert(connection, nextOrderId()))));
                for (int threads : THREADS) {
                    Duration round = cell.dividedBy(ROUNDS);
                    progress.step(
                            String.format(
                                    "%d thread(s): %d producers in %d rounds of %d s",
                                    threads, variants.size(), ROUNDS, round.toSeconds()),
                            round.multipliedBy(ROUNDS * variants.size()));
                    for (Variant variant : variants) {
                        ClosedLoop.run(variant.action, threads, round.dividedBy(4), new LatencyRecorder());
                    }
                    for (int r = 0; r < ROUNDS; r++) {
                        for (Variant variant : variants) {
                            ClosedLoop.run(variant.action, threads, round, variant.rounds.next());
                        }
                    }
                    Rounds trivialRounds = variants.get(0).rounds;
                    Rounds handRounds = variants.get(2).rounds;
                    for (Variant variant : variants) {
                        report.append(String.format(
                                Locale.ROOT,
                                "| %d | %s | %s | %s | %s | %s | %s |%n",
                                threads,
                                variant.name,
                                variant.rounds.perSecond().format("%,.0f"),
                                variant.rounds.percentileMillis(50).format("%.2f"),
                                variant.rounds.percentileMillis(99).format("%.2f"),
                                variant.rounds.perSecondRatio(trivialRounds).format("%.2f"),
                                variant.rounds.perSecondRatio(handRounds).format("%.2f")));
                    }
                    summary.goal(
                            threads + " thread(s): TransactionalSender sends/s / bare producer with the hand-written"
                                    + " listener",
                            "×",
                            variants.get(4).rounds.perSecondRatio(handRounds),
                            true,
                            0.95,
                            Summary.Judged.MEDIAN,
                            "the same listener writing a fence row by hand: "
                                    + variants.get(3)
                                            .rounds
                                            .perSecondRatio(handRounds)
                                            .format("%.2f")
                                    + "×; TransactionalSender / that: "
                                    + variants.get(4)
                                            .rounds
                                            .perSecondRatio(variants.get(3).rounds)
                                            .format("%.2f") + "×");
                    variants.forEach(variant -> variant.rounds = new Rounds());
                }
            } finally {
                courier.close();
                trivial.shutdown();
                handWritten.shutdown();
                handWrittenFence.shutdown();
            }
        }
        BenchResults.publish("rocketmq-tx.md", report.append("\n").append(summary.table()));
        summary.write();
        System.exit(0); // the in-process broker's threads would keep the JVM alive
    }

    private static final class Variant {
        final String name;
        final ClosedLoop.Action action;
        Rounds rounds = new Rounds();

        Variant(String name, ClosedLoop.Action action) {
            this.name = name;
            this.action = action;
        }
    }

    private static TransactionMQProducer bareProducer(String group, TransactionListener listener) throws Exception {
        TransactionMQProducer producer = new TransactionMQProducer(
                group + "-" + UUID.randomUUID().toString().substring(0, 8));
        producer.setNamesrvAddr(EmbeddedRocketMq.nameServer());
        producer.setInstanceName(producer.getProducerGroup());
        producer.setTransactionListener(listener);
        producer.start();
        return producer;
    }

    private static void sendBare(TransactionMQProducer producer, String topic) throws Exception {
        Message message = new Message(topic, PAYLOAD);
        message.setKeys(nextOrderId());
        TransactionSendResult result = producer.sendMessageInTransaction(message, null);
        if (result.getSendStatus() != SendStatus.SEND_OK
                || result.getLocalTransactionState() != LocalTransactionState.COMMIT_MESSAGE) {
            throw new IllegalStateException("bare send failed: " + result);
        }
    }

    /**
     * Answers COMMIT, after the business transaction when given a data source, with a fence row of the message's
     * transaction in it when {@code fence} (what a check-back needs to answer).
     */
    private static TransactionListener committingListener(DataSource dataSource, boolean fence) {
        return new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message message, Object argument) {
                if (dataSource == null) {
                    return LocalTransactionState.COMMIT_MESSAGE;
                }
                try (Connection connection = dataSource.getConnection()) {
                    if (fence) {
                        commitOrderWithFence(connection, message.getTransactionId());
                    } else {
                        commitOrder(connection);
                    }
                    return LocalTransactionState.COMMIT_MESSAGE;
                } catch (SQLException e) {
                    return LocalTransactionState.ROLLBACK_MESSAGE;
                }
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt message) {
                return LocalTransactionState.COMMIT_MESSAGE;
            }
        };
    }

    /** The business transaction: one order row, committed. */
    private static void commitOrder(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        Orders.insert(connection, nextOrderId());
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void commitOrderWithFence(Connection connection, String transactionId) throws SQLException {
        connection.setAutoCommit(false);
        Orders.insert(connection, nextOrderId());
        try (PreparedStatement fence =
                connection.prepareStatement("INSERT INTO bench_fence (tx_id, status) VALUES (?, 'COMMITTED')")) {
            fence.setString(1, transactionId == null ? UUID.randomUUID().toString() : transactionId);
            fence.executeUpdate();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static String nextOrderId() {
        return "o-" + ORDER_IDS.incrementAndGet();
    }

    private static void prepare(DataSource dataSource) throws SQLException {
        new FenceSchema(Database.POSTGRESQL, "courier_tx_fence").migrate(dataSource);
        new FenceSchema(Database.POSTGRESQL, "bench_fence").migrate(dataSource);
        Orders.createTable(dataSource);
    }
}
