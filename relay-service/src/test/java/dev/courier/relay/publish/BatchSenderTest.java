package dev.courier.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.relay.Lease;
import dev.courier.relay.source.OutboxRecord;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class BatchSenderTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final BatchSender sender =
            new BatchSender(producer, new RecordMapper(new TopicRouter("outbox.event.", Map.of())));

    private static List<OutboxRecord> batch(String... keys) {
        return IntStream.range(0, keys.length)
                .mapToObj(i -> new OutboxRecord(
                        "id-" + i,
                        "order",
                        keys[i],
                        "created",
                        "{}".getBytes(StandardCharsets.UTF_8),
                        "{}",
                        0,
                        i + 1,
                        Instant.now(),
                        0))
                .toList();
    }

    @Test
    void aSendThatThrowsSomethingElseThanAKafkaExceptionStillCompletesTheBatchAsAnOutage() {
        // A closed producer throws IllegalStateException; before, it escaped, the batch never completed and its
        // partition stayed in flight for good.
        producer.sendException = new IllegalStateException("Cannot perform operation after producer has been closed");
        AtomicReference<SentBatch> completed = new AtomicReference<>();

        boolean unreachable = sender.send(new Lease(0, 1), batch("o-1", "o-1", "o-2"), completed::set);

        assertThat(unreachable).isTrue();
        assertThat(completed.get()).isNotNull();
        assertThat(completed.get().outcomes())
                .hasSize(3)
                .allSatisfy(outcome -> assertThat(outcome)
                        .isInstanceOfSatisfying(
                                Outcome.Failed.class,
                                failed -> assertThat(failed.retriable()).isTrue()));
        assertThat(completed.get().hasOutage()).isTrue();
    }

    @Test
    void aRecordFaultFailsItsKeyAndLetsTheOtherKeysGo() {
        producer.sendException = null;
        MockProducer<byte[], byte[]> failingFirst =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        BatchSender sending =
                new BatchSender(failingFirst, new RecordMapper(new TopicRouter("outbox.event.", Map.of())));
        AtomicReference<SentBatch> completed = new AtomicReference<>();

        sending.send(new Lease(0, 1), batch("o-1", "o-2"), completed::set);
        failingFirst.errorNext(new RecordTooLargeException("too large"));
        failingFirst.completeNext();

        assertThat(completed.get()).isNotNull();
        assertThat(completed.get().outcomes().get(0))
                .isInstanceOfSatisfying(
                        Outcome.Failed.class,
                        failed -> assertThat(failed.retriable()).isFalse());
        assertThat(completed.get().outcomes().get(1)).isInstanceOf(Outcome.Acked.class);
        assertThat(completed.get().hasOutage()).isFalse();
    }

    @Test
    void anObservationHandlerThatThrowsCostsTheRecordsTheirSpansNeverTheirPublication() {
        ObservationRegistry failing = ObservationRegistry.create();
        failing.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                throw new IllegalStateException("a broken tracing handler");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        BatchSender observed = new BatchSender(
                producer,
                new RecordMapper(new TopicRouter("outbox.event.", Map.of())),
                new PublishObservation(failing));
        AtomicReference<SentBatch> completed = new AtomicReference<>();

        observed.send(new Lease(0, 1), batch("o-1", "o-2"), completed::set);

        assertThat(completed.get().outcomes())
                .hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Outcome.Acked.class));
        assertThat(producer.history()).hasSize(2);
    }
}
