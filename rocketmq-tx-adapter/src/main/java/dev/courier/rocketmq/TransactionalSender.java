package dev.courier.rocketmq;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import dev.courier.outbox.Database;
import dev.courier.rocketmq.fence.FenceConflictException;
import dev.courier.rocketmq.fence.FenceStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends RocketMQ transactional messages whose local transaction runs on the service's database: the half message is
 * stored at the broker, the local transaction inserts the message's fence row and does the business work, and the
 * message is committed or rolled back with it. When that answer is lost (a crash, a network fault, an unknown commit
 * outcome), the broker asks any producer of the group back, and the fence row gives the definite answer.
 *
 * <pre>{@code
 * TransactionalSendResult<Long> result = sender.send(
 *         TransactionalMessage.of("stock-reservations", orderId, json),
 *         connection -> insertOrder(connection, order));
 * }</pre>
 *
 * <p>Thread-safe; one per producer group and process. {@link #start()} before sending, {@link #close()} at the end.
 */
public final class TransactionalSender implements AutoCloseable {

    /** The user property holding Courier's transaction id: the fence row's key. */
    public static final String TRANSACTION_ID_PROPERTY = "courier-tx-id";

    private static final Logger log = LoggerFactory.getLogger(TransactionalSender.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Time-ordered (version 7): the fence table's primary key grows at its right edge instead of at random pages. */
    private static final NoArgGenerator TRANSACTION_IDS = Generators.timeBasedEpochGenerator();

    private final Settings settings;
    private final TransactionMQProducer producer;
    private final ExecutorService checkExecutor;
    private final TransactionMetrics metrics;
    private volatile boolean started;

    private TransactionalSender(Settings settings) {
        this.settings = settings;
        this.metrics = new TransactionMetrics(settings.registry, settings.group);
        FenceStore fence = settings.fence != null
                ? settings.fence
                : new FenceStore(
                        settings.dataSource, settings.database, settings.fenceTable, settings.checkLockTimeout);
        LocalTransactions local = settings.localTransactions != null
                ? settings.localTransactions.apply(fence)
                : new JdbcLocalTransactions(settings.dataSource, fence);
        this.checkExecutor = new ThreadPoolExecutor(
                settings.checkThreads,
                settings.checkThreads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(2_000),
                Thread.ofPlatform()
                        .name("courier-rocketmq-check-", 0)
                        .daemon(true)
                        .factory());
        this.producer = new TransactionMQProducer(settings.group);
        producer.setNamesrvAddr(settings.nameServer);
        // Distinct per sender, so that two senders of one group in one JVM (tests, blue/green) do not share a client.
        producer.setInstanceName(
                settings.group + "-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet());
        producer.setSendMsgTimeout((int) settings.sendTimeout.toMillis());
        producer.setExecutorService(checkExecutor);
        producer.setTransactionListener(new FenceTransactionListener(local, fence, metrics));
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Starts the producer and registers it with the brokers of every configured topic at once, so that it answers
     * check-backs for messages an earlier (crashed) instance of the group sent, before it sends anything itself.
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        try {
            producer.start();
            MQClientInstance client = producer.getDefaultMQProducerImpl().getMqClientFactory();
            for (String topic : settings.topics) {
                // Stores the route in the client, so that the heartbeat below reaches the topic's brokers (a route
                // looked up without storing it, e.g. by fetchPublishMessageQueues, leaves the client unknown to them).
                client.updateTopicRouteInfoFromNameServer(topic);
                if (!client.getTopicRouteTable().containsKey(topic)) {
                    throw new MQClientException(
                            "no route for topic " + topic + ": create it on the brokers first", null);
                }
            }
            client.sendHeartbeatToAllBrokerWithLock();
        } catch (MQClientException e) {
            producer.shutdown();
            throw new IllegalStateException(
                    "Could not start the RocketMQ producer of group " + settings.group + " (name server "
                            + settings.nameServer + ", topics " + settings.topics + "): " + e.getMessage(),
                    e);
        }
        started = true;
        log.info(
                "Transactional sender of group {} started (name server {}, check-backs for {})",
                settings.group,
                settings.nameServer,
                settings.topics);
    }

    /**
     * Sends {@code message} with {@code work} as its local transaction, and returns once both are decided.
     *
     * @return COMMITTED with the work's value; ROLLED_BACK when the transaction was fenced off before it could start
     *     (a check-back decided first, or the message's own transaction id was used before): the work did not run;
     *     UNKNOWN when the commit's outcome is open (the check-back decides)
     * @throws TransactionalSendException when the half message could not be stored (the work did not run)
     * @throws RuntimeException the work's own runtime exception or error, after the rollback; a checked exception
     *     arrives wrapped in {@link LocalTransactionException}
     */
    public <T> TransactionalSendResult<T> send(TransactionalMessage message, LocalTransaction<T> work) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(work, "work");
        if (!started) {
            throw new IllegalStateException("start() the sender of group " + settings.group + " before sending");
        }
        if (settings.beforeSend != null) {
            settings.beforeSend.run();
        }
        String transactionId = message.transactionId() != null
                ? message.transactionId()
                : TRANSACTION_IDS.generate().toString();
        FenceTransactionListener.PendingSend<T> pending =
                new FenceTransactionListener.PendingSend<>(transactionId, work);
        TransactionSendResult sent;
        try {
            sent = producer.sendMessageInTransaction(toRocketMq(message, transactionId), pending);
        } catch (MQClientException | RuntimeException e) {
            metrics.sent("failed");
            throw new TransactionalSendException(
                    "The half message to " + message.topic() + " was not stored; the local transaction did not run: "
                            + e.getMessage(),
                    e);
        }
        LocalOutcome<T> outcome = pending.outcome;
        if (outcome == null) {
            metrics.sent("failed");
            throw new TransactionalSendException(
                    "The broker did not store the half message to " + message.topic() + " (" + sent.getSendStatus()
                            + "); the local transaction did not run",
                    null);
        }
        return switch (outcome) {
            case LocalOutcome.Committed<T> committed -> {
                metrics.sent(TransactionOutcome.COMMITTED);
                yield new TransactionalSendResult<>(
                        TransactionOutcome.COMMITTED, sent.getMsgId(), transactionId, committed.value());
            }
            case LocalOutcome.Unknown<T> unknown -> {
                metrics.sent(TransactionOutcome.UNKNOWN);
                yield new TransactionalSendResult<>(TransactionOutcome.UNKNOWN, sent.getMsgId(), transactionId, null);
            }
            case LocalOutcome.RolledBack<T> rolledBack -> {
                metrics.sent(TransactionOutcome.ROLLED_BACK);
                Throwable cause = rolledBack.cause();
                if (cause instanceof FenceConflictException) {
                    yield new TransactionalSendResult<>(
                            TransactionOutcome.ROLLED_BACK, sent.getMsgId(), transactionId, null);
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new LocalTransactionException(transactionId, cause);
            }
        };
    }

    /** Whether the producer runs and knows a broker for each configured topic. */
    public boolean healthy() {
        if (!started) {
            return false;
        }
        try {
            for (String topic : settings.topics) {
                if (producer.fetchPublishMessageQueues(topic).isEmpty()) {
                    return false;
                }
            }
            return true;
        } catch (MQClientException e) {
            return false;
        }
    }

    public String group() {
        return settings.group;
    }

    public List<String> topics() {
        return settings.topics;
    }

    private static Message toRocketMq(TransactionalMessage message, String transactionId) {
        Message rocket = new Message(message.topic(), message.payload());
        if (message.key() != null) {
            rocket.setKeys(message.key());
        }
        if (message.tags() != null) {
            rocket.setTags(message.tags());
        }
        for (Map.Entry<String, String> header : message.headers().entrySet()) {
            rocket.putUserProperty(header.getKey(), header.getValue());
        }
        rocket.putUserProperty(TRANSACTION_ID_PROPERTY, transactionId);
        return rocket;
    }

    @Override
    public synchronized void close() {
        if (started) {
            producer.shutdown();
            started = false;
        }
        checkExecutor.shutdown();
    }

    /** Every setting with its default; validated by {@link #build()}. */
    public static final class Builder {

        private final Settings settings = new Settings();

        private Builder(DataSource dataSource) {
            settings.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** {@code host:port} of the name server(s), {@code ;}-separated. Required. */
        public Builder nameServer(String nameServer) {
            settings.nameServer = nameServer;
            return this;
        }

        /** The producer group: every instance of a service shares it, and any of them answers check-backs. Required. */
        public Builder group(String group) {
            settings.group = group;
            return this;
        }

        /** Topics this sender sends to, registered at start so that check-backs reach a fresh instance at once. */
        public Builder topics(List<String> topics) {
            settings.topics = List.copyOf(topics);
            return this;
        }

        /** Default: detected from the data source. */
        public Builder database(Database database) {
            settings.database = database;
            return this;
        }

        /** Default {@code courier_tx_fence}. */
        public Builder fenceTable(String fenceTable) {
            settings.fenceTable = fenceTable;
            return this;
        }

        /** Threads answering check-backs; default 4. */
        public Builder checkThreads(int checkThreads) {
            settings.checkThreads = checkThreads;
            return this;
        }

        /** Timeout of the half message's send; default 3 s. */
        public Builder sendTimeout(Duration sendTimeout) {
            settings.sendTimeout = sendTimeout;
            return this;
        }

        /** How long a check-back waits for a local transaction still running; then UNKNOW, asked again. Default 5 s. */
        public Builder checkLockTimeout(Duration checkLockTimeout) {
            settings.checkLockTimeout = checkLockTimeout;
            return this;
        }

        /** The fence store to use (its table and check-back lock timeout); replaces those two settings. */
        public Builder fence(FenceStore fence) {
            settings.fence = fence;
            return this;
        }

        /** How local transactions run; default plain JDBC on the data source. */
        public Builder localTransactions(Function<FenceStore, LocalTransactions> factory) {
            settings.localTransactions = factory;
            return this;
        }

        /** Runs before every send, e.g. a check that no transaction is active. */
        public Builder beforeSend(Runnable check) {
            settings.beforeSend = check;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            settings.registry = registry;
            return this;
        }

        public TransactionalSender build() {
            List<String> problems = new ArrayList<>();
            if (settings.nameServer == null || settings.nameServer.isBlank()) {
                problems.add("nameServer is required (host:port of the RocketMQ name server)");
            }
            if (settings.group == null || !settings.group.matches("[%|a-zA-Z0-9_-]{1,255}")) {
                problems.add("group must be a RocketMQ group name (letters, digits, %, |, _ and -), was '"
                        + settings.group + "'");
            }
            if (settings.checkThreads < 1) {
                problems.add("checkThreads must be at least 1, was " + settings.checkThreads);
            }
            if (settings.sendTimeout.isNegative() || settings.sendTimeout.isZero()) {
                problems.add("sendTimeout must be positive, was " + settings.sendTimeout);
            }
            if (settings.checkLockTimeout.isNegative() || settings.checkLockTimeout.isZero()) {
                problems.add("checkLockTimeout must be positive, was " + settings.checkLockTimeout);
            }
            for (String topic : settings.topics) {
                if (!topic.matches("[%|a-zA-Z0-9_-]{1,127}")) {
                    problems.add("topic '" + topic + "' is not a valid RocketMQ topic name");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "Invalid transactional sender settings: " + String.join("; ", problems));
            }
            if (settings.database == null) {
                settings.database = Database.of(settings.dataSource);
            }
            return new TransactionalSender(settings);
        }
    }

    private static final class Settings {
        DataSource dataSource;
        String nameServer;
        String group;
        List<String> topics = List.of();
        Database database;
        String fenceTable = "courier_tx_fence";
        int checkThreads = 4;
        Duration sendTimeout = Duration.ofSeconds(3);
        Duration checkLockTimeout = Duration.ofSeconds(5);
        Function<FenceStore, LocalTransactions> localTransactions;
        FenceStore fence;
        Runnable beforeSend;
        MeterRegistry registry;
    }
}
