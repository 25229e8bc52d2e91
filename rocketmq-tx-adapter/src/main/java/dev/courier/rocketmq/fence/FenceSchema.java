package dev.courier.rocketmq.fence;

import dev.courier.outbox.Database;
import dev.courier.outbox.SqlIdentifiers;
import dev.courier.outbox.schema.SchemaMigration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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

    /** Applies the pending migrations with Flyway, which must be on the class path. */
    public void migrate(DataSource dataSource) {
        SchemaMigration.migrate(dataSource, location(), table + "_schema_history", Map.of("fence_table", table));
    }

    /**
     * Checks that the fence table exists, for applications that apply the schema themselves.
     *
     * @throws IllegalStateException naming the table and the script to apply when it does not
     */
    public void requireExists(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "The RocketMQ fence table " + table + " cannot be read (" + e.getMessage()
                            + "). Put org.flywaydb:flyway-core (and flyway-database-postgresql or flyway-mysql) on the class"
                            + " path with courier.rocketmq.fence.migrate=true to create it at start-up, or apply classpath:"
                            + location() + "/V1__transaction_fence.sql yourself, with ${fence_table} replaced by "
                            + table,
                    e);
        }
    }

    private String location() {
        return "db/courier/rocketmq/" + database.folder();
    }
}
