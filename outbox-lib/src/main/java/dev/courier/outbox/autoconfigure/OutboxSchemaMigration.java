package dev.courier.outbox.autoconfigure;

import dev.courier.outbox.schema.OutboxSchema;
import javax.sql.DataSource;

/** Applies Courier's migrations once, before the outbox or inbox is first handed out. */
public final class OutboxSchemaMigration {

    private final DataSource dataSource;
    private final OutboxSchema schema;
    private boolean migrated;

    OutboxSchemaMigration(DataSource dataSource, OutboxSchema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    synchronized void ensureMigrated() {
        if (!migrated) {
            schema.migrate(dataSource);
            migrated = true;
        }
    }
}
