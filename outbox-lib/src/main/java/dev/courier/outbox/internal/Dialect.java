package dev.courier.outbox.internal;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxTable;
import dev.courier.outbox.schema.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The statements of the outbox writer and the inbox, built from the shared {@link SqlDialect} pieces. Table and
 * channel names are validated identifiers.
 */
final class Dialect {

    /** Columns bound per outbox row, in the order of {@link #insertSql}. */
    static final int COLUMNS_PER_ROW = OutboxTable.WRITTEN.size();

    private static final String WRITTEN_COLUMNS = OutboxTable.list("", OutboxTable.WRITTEN);

    private final Database database;
    private final SqlDialect sql;

    private Dialect(Database database) {
        this.database = database;
        this.sql = SqlDialect.of(database);
    }

    static Dialect of(Database database) {
        return new Dialect(database);
    }

    /**
     * A statement inserting {@code rows} outbox rows ({@link OutboxTable#WRITTEN} each) and, with {@code
     * returningTransactionId} (PostgreSQL), returning the transaction's id ({@code xid8}) as its only row, in one round
     * trip: the insert runs as a data-modifying CTE.
     */
    String insertSql(String table, int rows, boolean returningTransactionId) {
        String insert =
                "INSERT INTO " + table + " (" + WRITTEN_COLUMNS + ") VALUES " + valuesClause(rows, sql.jsonParameter());
        if (!returningTransactionId) {
            return insert;
        }
        if (database != Database.POSTGRESQL) {
            throw new IllegalArgumentException("only PostgreSQL returns the transaction id");
        }
        return "WITH inserted AS (" + insert + ") SELECT CAST(CAST(pg_current_xact_id() AS text) AS bigint)";
    }

    /** PostgreSQL takes the id as a uuid, MySQL/MariaDB as its text. */
    void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        if (database == Database.POSTGRESQL) {
            statement.setObject(index, id);
        } else {
            statement.setString(index, id.toString());
        }
    }

    /**
     * Inserts (consumer, message_id); updates 1 row for a new id, 0 for a duplicate. Both databases make the
     * statement wait for an uncommitted row with the same key. On MySQL/MariaDB the INSERT IGNORE would also turn data
     * errors into warnings; ids are length-checked before, so only the duplicate key is ignored.
     */
    String inboxInsertSql(String table) {
        return sql.insertIgnore(table, "consumer, message_id", "?, ?");
    }

    /** Deletes at most {@code ?2} inbox rows received before {@code ?1}. */
    String inboxPurgeSql(String table) {
        return sql.deleteAtMost(table, "received_at < ?");
    }

    /** {@code (?, ?, ...), (?, ?, ...)} for {@code rows} rows; the headers' placeholder may carry a cast. */
    private static String valuesClause(int rows, String headersPlaceholder) {
        String row = "(?, ?, ?, ?, ?, " + headersPlaceholder + ", ?)";
        StringBuilder values = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                values.append(", ");
            }
            values.append(row);
        }
        return values.toString();
    }
}
