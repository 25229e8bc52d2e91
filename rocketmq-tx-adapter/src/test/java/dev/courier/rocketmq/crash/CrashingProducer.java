package dev.courier.rocketmq.crash;

import dev.courier.outbox.Database;
import dev.courier.rocketmq.JdbcLocalTransactions;
import dev.courier.rocketmq.LocalOutcome;
import dev.courier.rocketmq.LocalTransaction;
import dev.courier.rocketmq.LocalTransactions;
import dev.courier.rocketmq.TransactionalMessage;
import dev.courier.rocketmq.TransactionalSendResult;
import dev.courier.rocketmq.TransactionalSender;
import dev.courier.rocketmq.support.Orders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The producer application of the crash tests, run in a JVM of its own so that a test can SIGKILL it at a chosen
 * point. Each transaction inserts an {@code orders} row whose id is the transaction id, and prints its progress as
 * {@code CRASH <phase> <transaction id>} lines:
 *
 * <ul>
 *   <li>{@code STARTED}: the half message is stored and the local transaction began (nothing written yet);
 *   <li>{@code INSERTED}: the business row is written, not committed;
 *   <li>{@code COMMITTED}: the local transaction committed; the broker has no answer yet;
 *   <li>{@code SENT}: the send returned (the broker was answered).
 * </ul>
 *
 * <p>{@link Mode} says where it stops: for good at one crash point ({@code HOLD} printed, waiting for the kill), or
 * nowhere, sending on several threads with random pauses at every point until it is killed.
 *
 * <p>Arguments: name server, group, topic, JDBC URL, user, password, mode, transaction id prefix, threads.
 */
public final class CrashingProducer {

    /** Where the producer stops for the kill. */
    public enum Mode {
        /** Crash point (a): after the half message, before the local transaction wrote anything. */
        HOLD_BEFORE_WORK,
        /** Crash point (c): during the local transaction, its business row written but not committed. */
        HOLD_MID_WORK,
        /** Crash point (b): after the local commit, before the broker is answered. */
        HOLD_AFTER_COMMIT,
        /** No fixed point: sends on every thread with random pauses at each point, until killed. */
        RANDOM
    }

    public static final String MARKER = "CRASH";

    private static final Duration MAX_PAUSE = Duration.ofMillis(40);

    private final Mode mode;
    private final String topic;
    private final String prefix;

    private CrashingProducer(Mode mode, String topic, String prefix) {
        this.mode = mode;
        this.topic = topic;
        this.prefix = prefix;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            throw new IllegalArgumentException(
                    "usage: nameServer group topic jdbcUrl user password mode prefix threads");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[3]);
        dataSource.setUser(args[4]);
        dataSource.setPassword(args[5]);
        CrashingProducer producer = new CrashingProducer(Mode.valueOf(args[6]), args[2], args[7]);
        TransactionalSender sender = TransactionalSender.builder(dataSource)
                .nameServer(args[0])
                .group(args[1])
                .topics(List.of(args[2]))
                .database(Database.POSTGRESQL)
                .localTransactions(fence -> producer.pausingAfterCommit(new JdbcLocalTransactions(dataSource, fence)))
                .build();
        sender.start();
        int threads = Integer.parseInt(args[8]);
        for (int thread = 0; thread < threads; thread++) {
            int number = thread;
            Thread.ofPlatform().name("crashing-producer-" + thread).start(() -> producer.sendForever(sender, number));
        }
    }

    private void sendForever(TransactionalSender sender, int thread) {
        for (long sequence = 0; ; sequence++) {
            String transactionId = prefix + "-" + thread + "-" + sequence;
            TransactionalSendResult<Integer> result = sender.send(
                    TransactionalMessage.of(topic, transactionId, transactionId.getBytes(StandardCharsets.UTF_8))
                            .withTransactionId(transactionId),
                    work(transactionId));
            report("SENT", transactionId + " " + result.outcome());
        }
    }

    private LocalTransaction<Integer> work(String transactionId) {
        return connection -> {
            report("STARTED", transactionId);
            pauseOrHold(Mode.HOLD_BEFORE_WORK, transactionId);
            int inserted = Orders.insert(connection, transactionId, 1);
            report("INSERTED", transactionId);
            pauseOrHold(Mode.HOLD_MID_WORK, transactionId);
            return inserted;
        };
    }

    /** Runs each local transaction, then stops between its commit and the answer to the broker. */
    private LocalTransactions pausingAfterCommit(LocalTransactions delegate) {
        return new LocalTransactions() {
            @Override
            public <T> LocalOutcome<T> run(String transactionId, LocalTransaction<T> work) {
                LocalOutcome<T> outcome = delegate.run(transactionId, work);
                if (outcome instanceof LocalOutcome.Committed<T>) {
                    report("COMMITTED", transactionId);
                    pauseOrHold(Mode.HOLD_AFTER_COMMIT, transactionId);
                }
                return outcome;
            }
        };
    }

    private void pauseOrHold(Mode point, String transactionId) {
        if (mode == point) {
            report("HOLD", transactionId);
            while (true) {
                LockSupport.park(); // until the test kills this JVM
            }
        }
        if (mode == Mode.RANDOM) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(MAX_PAUSE.toNanos()));
        }
    }

    private static void report(String phase, String detail) {
        // One write per line, so that lines of several threads never interleave in the log.
        System.out.println(MARKER + " " + phase + " " + detail);
        System.out.flush();
    }
}
