package dev.courier.relay.publish;

import dev.courier.relay.Lease;
import dev.courier.relay.source.OutboxRecord;
import io.micrometer.observation.ObservationRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Sends a partition's batch without waiting per record: every record goes to the producer at once, in {@code seq}
 * order, and the batch is handed to {@code onComplete} when the last acknowledgement or error has arrived. The
 * producer's idempotence keeps that order through retries.
 */
public final class BatchSender {

    private final Producer<byte[], byte[]> producer;
    private final RecordMapper mapper;
    private final PublishObservation observation;

    /** A sender that observes nothing. */
    public BatchSender(Producer<byte[], byte[]> producer, RecordMapper mapper) {
        this(producer, mapper, new PublishObservation(ObservationRegistry.NOOP));
    }

    public BatchSender(Producer<byte[], byte[]> producer, RecordMapper mapper, PublishObservation observation) {
        this.producer = producer;
        this.mapper = mapper;
        this.observation = observation;
    }

    /**
     * Offers {@code records} to the producer in order; {@code onComplete} gets every record's outcome.
     *
     * @return true when Kafka proved unreachable already while offering (the batch is then failed as an outage):
     *     the caller should not offer more batches now
     */
    public boolean send(Lease lease, List<OutboxRecord> records, Consumer<SentBatch> onComplete) {
        Outcome[] outcomes = new Outcome[records.size()];
        // Keys whose record failed while this batch was being handed over; their later records stay unsent.
        Set<String> failedKeys = ConcurrentHashMap.newKeySet();
        AtomicInteger pending = new AtomicInteger(records.size() + 1);
        Runnable arrived = () -> {
            if (pending.decrementAndGet() == 0) {
                onComplete.accept(new SentBatch(lease, records, Arrays.asList(outcomes)));
            }
        };
        // Once Kafka looks unreachable, the rest of the batch is not offered: with its metadata gone every send()
        // would block for max.block.ms, stalling the engine for minutes instead of opening the circuit.
        AtomicReference<Throwable> outage = new AtomicReference<>();
        for (int i = 0; i < records.size(); i++) {
            OutboxRecord row = records.get(i);
            int index = i;
            if (outage.get() != null) {
                outcomes[index] = new Outcome.Failed(outage.get(), true);
                arrived.run();
                continue;
            }
            if (failedKeys.contains(row.aggregateId())) {
                outcomes[index] = new Outcome.Withheld();
                arrived.run();
                continue;
            }
            ProducerRecord<byte[], byte[]> record;
            try {
                record = mapper.toRecord(row);
            } catch (RuntimeException e) {
                failedKeys.add(row.aggregateId());
                outcomes[index] = new Outcome.Failed(e, false);
                arrived.run();
                continue;
            }
            PublishObservation.Publish observed = observation.start(row, record);
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        observed.acknowledged();
                        outcomes[index] = new Outcome.Acked(System.currentTimeMillis());
                    } else {
                        observed.failed(error);
                        failedKeys.add(row.aggregateId());
                        outcomes[index] = new Outcome.Failed(error, isRetriable(error));
                        if (isRetriable(error)) {
                            outage.compareAndSet(null, error);
                        }
                    }
                    arrived.run();
                });
            } catch (RuntimeException e) {
                observed.failed(e);
                // Not only KafkaException: a producer closed under the relay, a partitioner or an interceptor may throw
                // anything. Every record must arrive, or its batch never completes and its partition stalls for good.
                failedKeys.add(row.aggregateId());
                outcomes[index] = new Outcome.Failed(e, isRetriable(e));
                if (isRetriable(e)) {
                    outage.compareAndSet(null, e);
                }
                arrived.run();
            }
        }
        arrived.run();
        return outage.get() != null;
    }

    /** Errors that are the record's own fault: sending it again cannot succeed until an operator acts. */
    private static final Set<Class<? extends Throwable>> RECORD_FAULTS = Set.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidTopicException.class,
            TopicAuthorizationException.class,
            InvalidRecordException.class,
            CorruptRecordException.class);

    /**
     * Everything but a known record fault counts as an outage: a broker that is down, a timeout, a producer that must
     * reset its sequence numbers. Charging those to the messages would park innocent ones.
     */
    static boolean isRetriable(Throwable error) {
        return RECORD_FAULTS.stream().noneMatch(fault -> fault.isInstance(error));
    }
}
