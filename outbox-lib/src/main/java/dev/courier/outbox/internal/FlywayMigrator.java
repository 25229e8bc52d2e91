package dev.courier.outbox.internal;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Kept apart so that Flyway stays optional: this class loads only when a migration is requested. */
public final class FlywayMigrator {

    private FlywayMigrator() {}

    public static void migrate(
            DataSource dataSource, String location, String historyTable, Map<String, String> placeholders) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + location)
                .table(historyTable)
                .placeholders(placeholders)
                // The application's tables may already be there: Courier's history starts at its own V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
