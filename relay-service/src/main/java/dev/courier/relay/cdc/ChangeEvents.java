package dev.courier.relay.cdc;

import dev.courier.outbox.schema.OutboxTable;
import dev.courier.relay.source.OutboxRecord;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium's change events into the same {@link OutboxRecord}s that polling mode reads, so that both modes
 * produce byte-identical Kafka records through one mapper.
 */
final class ChangeEvents {

    private ChangeEvents() {}

    /**
     * The outbox row inserted (op {@code c}) or read by a snapshot (op {@code r}); empty for anything else: heartbeats,
     * other tables, updates and deletes (the publication publishes inserts only).
     */
    static Optional<OutboxRecord> insertedRow(SourceRecord record, String table) {
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return Optional.empty();
        }
        String op = envelope.getString("op");
        Struct source = envelope.getStruct("source");
        if (!("c".equals(op) || "r".equals(op)) || source == null || !table.equals(source.getString("table"))) {
            return Optional.empty();
        }
        Struct row = envelope.getStruct("after");
        return Optional.of(new OutboxRecord(
                row.getString(OutboxTable.ID),
                row.getString(OutboxTable.AGGREGATE_TYPE),
                row.getString(OutboxTable.AGGREGATE_ID),
                row.getString(OutboxTable.TYPE),
                row.getBytes(OutboxTable.PAYLOAD),
                row.getString(OutboxTable.HEADERS),
                row.getInt32(OutboxTable.PARTITION),
                row.getInt64(OutboxTable.SEQ),
                // timestamptz arrives as an ISO-8601 string (Debezium's ZonedTimestamp), microseconds kept.
                OffsetDateTime.parse(row.getString(OutboxTable.CREATED_AT)).toInstant(),
                0));
    }

    /** The PostgreSQL transaction (32-bit xid) that wrote the change, or null when the event carries none. */
    static Long transactionId(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("source") == null) {
            return null;
        }
        Struct source = envelope.getStruct("source");
        return source == null || source.schema().field("txId") == null ? null : source.getInt64("txId");
    }
}
