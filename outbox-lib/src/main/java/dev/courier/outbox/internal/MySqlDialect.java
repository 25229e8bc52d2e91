package dev.courier.outbox.internal;

import dev.courier.outbox.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** MySQL and MariaDB. There is no NOTIFY: relays poll adaptively. */
final class MySqlDialect implements Dialect {

    @Override
    public Database database() {
        return Database.MYSQL;
    }

    @Override
    public String insertSql(String table, int rows, String wakeUpChannel) {
        return "INSERT INTO " + table + " (id, aggregatetype, aggregateid, type, payload, headers, partition_no)"
                + " VALUES " + Dialect.valuesClause(rows, "?", "?");
    }

    @Override
    public boolean insertReturnsResult(String wakeUpChannel) {
        return false;
    }

    @Override
    public void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setString(index, id.toString());
    }

    /**
     * INSERT IGNORE would also turn data errors into warnings; ids are length-checked before, so only the duplicate
     * key is ignored. Like PostgreSQL, InnoDB makes the statement wait for an uncommitted row with the same key.
     */
    @Override
    public String inboxInsertSql(String table) {
        return "INSERT IGNORE INTO " + table + " (consumer, message_id) VALUES (?, ?)";
    }

    @Override
    public String inboxPurgeSql(String table) {
        return "DELETE FROM " + table + " WHERE received_at < ? LIMIT ?";
    }
}
