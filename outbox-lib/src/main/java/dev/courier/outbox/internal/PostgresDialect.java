package dev.courier.outbox.internal;

import dev.courier.outbox.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

final class PostgresDialect implements Dialect {

    @Override
    public Database database() {
        return Database.POSTGRESQL;
    }

    /**
     * The insert runs as a data-modifying CTE and the statement's only row is the NOTIFY, so both take one round
     * trip. PostgreSQL delivers a notification on commit only, and folds identical notifications of one transaction
     * into one, so a relay wakes once per committed transaction however many publish calls it made.
     */
    @Override
    public String insertSql(String table, int rows, String wakeUpChannel) {
        String insert = "INSERT INTO " + table + " (id, aggregatetype, aggregateid, type, payload, headers,"
                + " partition_no) VALUES " + Dialect.valuesClause(rows, "?", "?::jsonb");
        if (wakeUpChannel == null) {
            return insert;
        }
        return "WITH inserted AS (" + insert + ") SELECT pg_notify('" + wakeUpChannel + "', '')";
    }

    @Override
    public boolean insertReturnsResult(String wakeUpChannel) {
        return wakeUpChannel != null;
    }

    @Override
    public void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setObject(index, id);
    }

    @Override
    public String inboxInsertSql(String table) {
        return "INSERT INTO " + table + " (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
    }

    @Override
    public String inboxPurgeSql(String table) {
        return "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE received_at < ? LIMIT ?)";
    }
}
