package dev.courier.outbox.schema;

import dev.courier.outbox.Database;
import dev.courier.outbox.SqlIdentifiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The versioned schema of the outbox and inbox tables, shipped in the jar under {@code db/courier/outbox/<database>}
 * (outside Flyway's default {@code db/migration}, so an application's own Flyway never picks it up by accident).
 * Apply it with {@link #migrate} (Flyway, own history table) or take the plain SQL from {@link #sql}.
 */
public final class OutboxSchema {

    /** The migrations, oldest first; a test keeps this list equal to the resource folders. */
    public static final List<String> MIGRATIONS = List.of("V1__outbox_and_inbox.sql");

    private final Database database;
    private final String outboxTable;
    private final String inboxTable;

    public OutboxSchema(Database database, String outboxTable, String inboxTable) {
        this.database = Objects.requireNonNull(database, "database");
        this.outboxTable = SqlIdentifiers.require(outboxTable, "outboxTable");
        this.inboxTable = SqlIdentifiers.require(inboxTable, "inboxTable");
    }

    /** The resource folder of this database's migrations, e.g. {@code db/courier/outbox/postgresql}. */
    public String location() {
        return "db/courier/outbox/" + database.folder();
    }

    /** Flyway placeholder values. */
    public Map<String, String> placeholders() {
        return Map.of("outbox_table", outboxTable, "inbox_table", inboxTable);
    }

    /**
     * Applies the pending migrations with Flyway (which must be on the class path), recording them in the history
     * table {@code <outboxTable>_schema_history}, apart from the application's own Flyway history.
     */
    public void migrate(DataSource dataSource) {
        SchemaMigration.migrate(dataSource, location(), outboxTable + "_schema_history", placeholders());
    }

    /** All migrations as one plain SQL script with the table names filled in, for other migration tools. */
    public String sql() {
        StringBuilder script = new StringBuilder();
        for (String migration : MIGRATIONS) {
            script.append("-- ")
                    .append(migration)
                    .append('\n')
                    .append(render(read(migration)))
                    .append('\n');
        }
        return script.toString();
    }

    private String render(String text) {
        String rendered = text;
        for (Map.Entry<String, String> placeholder : placeholders().entrySet()) {
            rendered = rendered.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
        }
        return rendered;
    }

    private String read(String migration) {
        String resource = location() + "/" + migration;
        try (InputStream in = OutboxSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing schema resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
