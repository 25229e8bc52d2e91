package dev.courier.outbox.schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outbox table's columns, as {@link OutboxSchema}'s migrations create them, for code that reads or copies outbox
 * rows (the relay, the CDC change handler). The names of the first five are those of Debezium's outbox EventRouter,
 * so one table serves the polling relay and CDC.
 */
public final class OutboxTable {

    public static final String ID = "id";
    public static final String AGGREGATE_TYPE = "aggregatetype";
    public static final String AGGREGATE_ID = "aggregateid";
    public static final String TYPE = "type";
    public static final String PAYLOAD = "payload";
    /** A JSON object of string values: the message's headers. */
    public static final String HEADERS = "headers";
    /** A stable hash of the aggregate id: the unit a relay instance leases. */
    public static final String PARTITION = "partition_no";
    /** Insertion order within a partition; not a cursor (a late-committing row may get a lower value). */
    public static final String SEQ = "seq";

    public static final String CREATED_AT = "created_at";

    /** The columns a writer sets, in the order of its insert statement; the rest take their defaults. */
    public static final List<String> WRITTEN =
            List.of(ID, AGGREGATE_TYPE, AGGREGATE_ID, TYPE, PAYLOAD, HEADERS, PARTITION);

    /** Every column of a row, in the order in which the relay reads and copies rows (into parking, the archive). */
    public static final List<String> ROW =
            List.of(ID, AGGREGATE_TYPE, AGGREGATE_ID, TYPE, PAYLOAD, HEADERS, PARTITION, SEQ, CREATED_AT);

    private OutboxTable() {}

    /** {@code columns} as an SQL column list, each prefixed with {@code alias.} unless the alias is empty. */
    public static String list(String alias, List<String> columns) {
        String prefix = alias.isEmpty() ? "" : alias + ".";
        return columns.stream().map(column -> prefix + column).collect(Collectors.joining(", "));
    }
}
