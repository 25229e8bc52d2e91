package dev.courier.relay.publish;

import dev.courier.relay.lease.Lease;
import dev.courier.relay.source.OutboxRecord;
import java.util.List;

/** A batch of one partition after every record has an outcome; {@code outcomes} lines up with {@code records}. */
public record SentBatch(Lease lease, List<OutboxRecord> records, List<Outcome> outcomes) {

    public boolean hasOutage() {
        return outcomes.stream().anyMatch(outcome -> outcome instanceof Outcome.Failed failed && failed.retriable());
    }
}
