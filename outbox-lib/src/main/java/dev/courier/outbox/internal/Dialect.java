package dev.courier.outbox.internal;

import dev.courier.outbox.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** The SQL that differs between databases. Table and channel names are validated identifiers. */
interface Dialect {

    /** Columns bound per outbox row, in the order of {@link #insertSql}. */
    int COLUMNS_PER_ROW = 7;

    Database database();

    /**
     * A statement inserting {@code rows} outbox rows (id, aggregatetype, aggregateid, type, payload, headers,
     * partition_no each) and, when {@code wakeUpChannel} is not null, notifying a relay on commit, in one round trip.
     */
    String insertSql(String table, int rows, String wakeUpChannel);

    /** Whether {@link #insertSql} returns a result set (it does when it also notifies). */
    boolean insertReturnsResult(String wakeUpChannel);

    void bindId(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** Inserts (consumer, message_id); updates 1 row for a new id, 0 for a duplicate (waiting for in-flight ones). */
    String inboxInsertSql(String table);

    /** Deletes at most {@code ?2} inbox rows received before {@code ?1}. */
    String inboxPurgeSql(String table);

    static Dialect of(Database database) {
        return switch (database) {
            case POSTGRESQL -> new PostgresDialect();
            case MYSQL -> new MySqlDialect();
        };
    }

    /** {@code (?, ?, ...), (?, ?, ...)} for {@code rows} rows; the placeholders may carry a cast. */
    static String valuesClause(int rows, String idPlaceholder, String headersPlaceholder) {
        String row = "(" + idPlaceholder + ", ?, ?, ?, ?, " + headersPlaceholder + ", ?)";
        StringBuilder sql = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(row);
        }
        return sql.toString();
    }
}
