package dev.courier.relay.db;

import dev.courier.outbox.SqlIdentifiers;

/** The outbox table and the relay's own tables, which are named after it. */
public record RelayTables(String outbox) {

    public RelayTables {
        SqlIdentifiers.require(outbox, "outbox table");
    }

    public String member() {
        return outbox + "_relay_member";
    }

    public String lease() {
        return outbox + "_relay_lease";
    }

    public String control() {
        return outbox + "_relay_control";
    }

    public String attempt() {
        return outbox + "_relay_attempt";
    }

    public String parked() {
        return outbox + "_parked";
    }

    /** Published rows kept for the retention period. */
    public String published() {
        return outbox + "_published";
    }

    /** CDC mode: the publication of the outbox's inserts, created by the relay's migration. */
    public String publication() {
        return outbox + "_publication";
    }

    /** CDC mode: Debezium's offsets. */
    public String cdcOffset() {
        return outbox + "_cdc_offset";
    }

    public String schemaHistory() {
        return outbox + "_relay_schema_history";
    }
}
