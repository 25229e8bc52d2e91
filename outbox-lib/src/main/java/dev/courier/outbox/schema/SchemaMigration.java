package dev.courier.outbox.schema;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies a Courier component's versioned migrations with Flyway: the outbox and inbox ({@link OutboxSchema}), the
 * relay's tables and the RocketMQ fence each keep their scripts under {@code db/courier/<component>/<database>} and
 * their own history table, apart from the application's migrations.
 *
 * <p>Kept in a class of its own so that Flyway stays optional: it is loaded only when a migration is requested.
 */
public final class SchemaMigration {

    private SchemaMigration() {}

    /**
     * Applies the pending migrations found at {@code location} (a class path folder, without {@code classpath:}).
     *
     * @param historyTable the Flyway history table of this component alone
     * @param placeholders values for the scripts' {@code ${name}} placeholders, e.g. table names
     */
    public static void migrate(
            DataSource dataSource, String location, String historyTable, Map<String, String> placeholders) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + location)
                .table(historyTable)
                .placeholders(placeholders)
                // The database already holds the application's tables: the component's history starts at its own V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
