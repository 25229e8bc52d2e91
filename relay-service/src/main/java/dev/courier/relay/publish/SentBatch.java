package dev.courier.relay.publish;

import dev.courier.relay.Lease;
import dev.courier.relay.source.OutboxRecord;
import java.util.List;

/** A batch of one partition after every record has an outcome; {@code outcomes} lines up with {@code records}. */
public record SentBatch(Lease lease, List<OutboxRecord> records, List<Outcome> outcomes) {

    /** Every record acknowledged: the batch is in Kafka, only the delete of its rows is left. */
    public boolean fullyAcked() {
        return outcomes.stream().allMatch(outcome -> outcome instanceof Outcome.Acked);
    }

    public boolean hasOutage() {
        return outcomes.stream().anyMatch(outcome -> outcome instanceof Outcome.Failed failed && failed.retriable());
    }
}
