package dev.courier.relay.db;

import dev.courier.outbox.Database;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The relay's own tables, as versioned Flyway migrations under {@code db/courier/relay/<database>}, with their own
 * history table so they never mix with the application's migrations.
 */
public final class RelaySchema {

    private RelaySchema() {}

    public static void migrate(DataSource dataSource, Database database, RelayTables tables) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/courier/relay/" + database.folder())
                .table(tables.schemaHistory())
                .placeholders(Map.of("outbox_table", tables.outbox()))
                // The database already holds the application's tables: the relay's history starts at its own V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
