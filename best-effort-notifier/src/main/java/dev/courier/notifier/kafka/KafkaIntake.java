package dev.courier.notifier.kafka;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.StateConflictException;
import dev.courier.notifier.message.MessageIntake;
import dev.courier.notifier.notification.Intake;
import dev.courier.supervision.LoopHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Consumes the configured topics with a spring-kafka listener container and accepts each record as a notification
 * (see {@link RecordTranslator}). Offsets are committed after the records of a poll are stored (ack mode
 * {@code BATCH}), so a crash re-reads at most the uncommitted ones, and the idempotency key (the record's message id)
 * turns those into the notifications already accepted.
 *
 * <p>Failures go to spring-kafka's {@link DefaultErrorHandler}, which commits what was stored before the failed
 * record and seeks back to it:
 *
 * <ul>
 *   <li>a record that can never become a notification (not JSON, too large, unknown or disabled endpoint) is rejected
 *       at once: logged with its coordinates, counted in {@code courier.notifier.kafka.rejected}, skipped;
 *   <li>a record the database refuses with a data error {@value #UNSTORABLE_ATTEMPTS} times in a row is rejected as
 *       {@code unstorable}, so that it cannot block its partition for ever;
 *   <li>anything else (the database unreachable, an unexpected exception) is retried without end after a growing
 *       pause (0.2 s, doubling up to 10 s): nothing is skipped, and the intake's health is DOWN until a record is
 *       stored again.
 * </ul>
 */
public final class KafkaIntake implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaIntake.class);
    /** Data errors on one record before it is skipped as unstorable. */
    static final int UNSTORABLE_ATTEMPTS = 3;

    private final RecordTranslator translator;
    private final Intake intake;
    private final MessageIntake messages;
    private final Counter accepted;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final LoopHealth health;
    private final ConcurrentMessageListenerContainer<byte[], byte[]> container;

    /**
     * @param settings the consumer's settings ({@link ConsumerSettings#of})
     * @param kafka which topic's records go to which endpoint, and where their message id is
     */
    public KafkaIntake(
            Map<String, Object> settings,
            NotifierProperties.Kafka kafka,
            Intake intake,
            MessageIntake messages,
            long maxBodyBytes,
            MeterRegistry registry) {
        this.translator = new RecordTranslator(kafka.rules(), kafka.idHeader(), maxBodyBytes);
        this.intake = intake;
        this.messages = messages;
        this.registry = registry;
        this.health = new LoopHealth("courier.notifier.loop", "kafka-intake", registry);
        this.accepted = Counter.builder("courier.notifier.kafka.accepted")
                .description("Kafka records accepted as notifications (repeats included)")
                .register(registry);
        this.container = container(settings);
    }

    private ConcurrentMessageListenerContainer<byte[], byte[]> container(Map<String, Object> settings) {
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(settings);
        // The consumer's own metrics (kafka.consumer.*), bound while it lives.
        consumers.addListener(new MicrometerConsumerListener<>(registry));
        ContainerProperties properties =
                new ContainerProperties(translator.topics().toArray(String[]::new));
        properties.setGroupId((String) settings.get(ConsumerConfig.GROUP_ID_CONFIG));
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setPollTimeout(500);
        // A cluster that refuses the login or an ACL at first keeps being asked, as an outage would.
        properties.setAuthExceptionRetryInterval(Duration.ofSeconds(10));
        properties.setMessageListener((MessageListener<byte[], byte[]>) this::onRecord);
        ConcurrentMessageListenerContainer<byte[], byte[]> created =
                new ConcurrentMessageListenerContainer<>(consumers, properties);
        created.setBeanName("notifier-kafka-intake");
        created.setCommonErrorHandler(errorHandler());
        return created;
    }

    private DefaultErrorHandler errorHandler() {
        ExponentialBackOff outage = new ExponentialBackOff(200, 2.0);
        outage.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, failure) -> reject(record, "unstorable", rootMessage(failure)),
                new FixedBackOff(200, UNSTORABLE_ATTEMPTS - 1));
        handler.setBackOffFunction((record, failure) -> dataError(failure) ? null : outage);
        handler.setResetStateOnExceptionChange(true);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
                health.failed(failure);
                log.warn(
                        "Storing Kafka record {}-{}@{} failed (attempt {}), retrying: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        attempt,
                        rootMessage(failure));
            }
        });
        return handler;
    }

    private void onRecord(ConsumerRecord<byte[], byte[]> record) {
        accept(record);
        health.succeeded();
    }

    @Override
    public synchronized void start() {
        health.started();
        container.start();
        log.info(
                "Kafka intake consuming {} as group {}",
                translator.topics(),
                container.getContainerProperties().getGroupId());
    }

    @Override
    public synchronized void stop() {
        container.stop();
        health.stopped();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    /** The supervised state of the intake, for health. */
    public LoopHealth health() {
        return health;
    }

    /** A data error the database raises for this record itself, which retrying cannot mend for ever. */
    private static boolean dataError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataIntegrityViolationException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        RecordTranslator.Translation translation = translator.translate(record);
        switch (translation) {
            case RecordTranslator.Skip skip -> {}
            case RecordTranslator.Reject reject -> reject(record, reject.reason(), reject.detail());
            case RecordTranslator.Accept accept ->
                stored(record, "unknown-endpoint", accept.fixedTarget(), () -> intake.accept(accept.submission()));
            case RecordTranslator.AcceptMessage message ->
                stored(
                        record,
                        "unknown-application",
                        message.fixedTarget(),
                        () -> messages.accept(message.submission()));
        }
    }

    /**
     * Stores what a record became, or rejects the record when no retry could store it. A target that the rule itself
     * names (a fixed endpoint or application) but that does not exist is the configuration's fault, not the record's:
     * the record is retried like an outage (health DOWN, nothing skipped) until the target is created.
     */
    private void stored(
            ConsumerRecord<byte[], byte[]> record, String unknownReason, boolean fixedTarget, Runnable store) {
        try {
            store.run();
            accepted.increment();
        } catch (InvalidInputException e) {
            reject(record, "invalid", e.getMessage());
        } catch (NoSuchResourceException e) {
            if (fixedTarget) {
                throw new IllegalStateException(
                        "the Kafka rule of topic " + record.topic() + " names a target that does not exist ("
                                + e.getMessage() + "); its records wait until it is created",
                        e);
            }
            reject(record, unknownReason, e.getMessage());
        } catch (StateConflictException e) {
            reject(record, "conflict", e.getMessage());
        }
    }

    private void reject(ConsumerRecord<?, ?> record, String reason, String detail) {
        rejected.computeIfAbsent(
                        reason,
                        r -> Counter.builder("courier.notifier.kafka.rejected")
                                .description("Kafka records that cannot become notifications, skipped")
                                .tag("reason", r)
                                .register(registry))
                .increment();
        log.error(
                "Kafka record {}-{}@{} skipped ({}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                detail);
    }
}
