package dev.courier.relay.db;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.SchemaMigration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The relay's own tables, as versioned Flyway migrations under {@code db/courier/relay/<database>}, with their own
 * history table so they never mix with the application's migrations.
 */
public final class RelaySchema {

    private RelaySchema() {}

    public static void migrate(DataSource dataSource, Database database, RelayTables tables) {
        SchemaMigration.migrate(
                dataSource,
                "db/courier/relay/" + database.folder(),
                tables.schemaHistory(),
                Map.of("outbox_table", tables.outbox()));
    }
}
