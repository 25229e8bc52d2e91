package dev.courier.outbox.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.schema.OutboxSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schema works without Flyway, applied as plain SQL, with custom table names. */
class PlainSqlSchemaIT {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void plainSqlSchemaWithCustomTableNamesServesOutboxAndInbox(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, "PlainSql")) {
            Database database = Database.of(db.dataSource());
            String script = new OutboxSchema(database, "shop_outbox", "shop_inbox").sql();
            try (Connection connection = db.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                for (String sql : script.split(";\\s*\\n")) {
                    if (!sql.lines().allMatch(line -> line.isBlank() || line.startsWith("--"))) {
                        statement.execute(sql);
                    }
                }
            }
            Outbox outbox = Outbox.builder(db.dataSource()).table("shop_outbox").build();
            Inbox inbox = Inbox.builder(db.dataSource()).table("shop_inbox").build();
            try (Connection connection = db.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                outbox.on(connection).publish("order", "o-1", "OrderPlaced", "x");
                inbox.on(connection).receive("m-1", c -> null);
                connection.commit();
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery(
                                "SELECT (SELECT COUNT(*) FROM shop_outbox) + (SELECT COUNT(*) FROM shop_inbox)")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
            }
        }
    }
}
