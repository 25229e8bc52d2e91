package dev.courier.rocketmq.fence;

import dev.courier.outbox.Database;
import dev.courier.outbox.SqlIdentifiers;
import dev.courier.outbox.internal.FlywayMigrator;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The fence table, as versioned Flyway migrations under {@code db/courier/rocketmq/<database>}, with its own history
 * table {@code <fence table>_schema_history} apart from the application's migrations.
 */
public final class FenceSchema {

    private final Database database;
    private final String table;

    public FenceSchema(Database database, String table) {
        this.database = database;
        this.table = SqlIdentifiers.require(table, "fence table");
    }

    public void migrate(DataSource dataSource) {
        FlywayMigrator.migrate(
                dataSource,
                "db/courier/rocketmq/" + database.folder(),
                table + "_schema_history",
                Map.of("fence_table", table));
    }
}
