package dev.courier.rocketmq.fence;

import dev.courier.outbox.Database;
import dev.courier.outbox.SqlIdentifiers;
import dev.courier.outbox.schema.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Reads and writes fence rows. The local transaction marks its message {@link FenceStatus#COMMITTED} on its own
 * connection; a check-back {@linkplain #decide decides} on a connection of its own.
 */
public final class FenceStore {

    /** Rows deleted per retention statement, so that no long lock is held. */
    private static final int DELETE_BATCH = 1_000;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final String table;
    private final Duration lockTimeout;

    /**
     * @param lockTimeout how long a check-back waits for a local transaction still running; after it the check answers
     *     "unknown" and the broker asks again later
     */
    public FenceStore(DataSource dataSource, Database database, String table, Duration lockTimeout) {
        this.dataSource = dataSource;
        this.dialect = SqlDialect.of(database);
        this.table = SqlIdentifiers.require(table, "fence table");
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("the check-back lock timeout must be positive, was " + lockTimeout);
        }
        this.lockTimeout = lockTimeout;
    }

    /**
     * Inserts the COMMITTED row inside the caller's local transaction, before its work: the row lock makes a
     * concurrent check-back wait until the transaction ends.
     *
     * @throws FenceConflictException when a check-back already fenced the transaction off
     */
    public void markCommitted(Connection connection, String transactionId) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO " + table + " (tx_id, status) VALUES (?, 'COMMITTED')")) {
            insert.setString(1, transactionId);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                throw new FenceConflictException(transactionId);
            }
            throw e;
        }
    }

    /**
     * The definite answer for a check-back: inserts ROLLED_BACK unless a row exists (waiting for a local transaction
     * that holds it, up to the lock timeout), then reads the row in the same transaction.
     *
     * @throws SQLException when the database is unreachable or the local transaction still runs after the timeout:
     *     the caller answers "unknown"
     */
    public FenceStatus decide(String transactionId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                limitLockWait(connection);
                try (PreparedStatement insert =
                        connection.prepareStatement(dialect.insertIgnore(table, "tx_id, status", "?, 'ROLLED_BACK'"))) {
                    insert.setString(1, transactionId);
                    insert.executeUpdate();
                }
                FenceStatus status;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT status FROM " + table + " WHERE tx_id = ?" + dialect.latestCommittedRead())) {
                    select.setString(1, transactionId);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            throw new SQLException("fence row of " + transactionId + " vanished after its insert");
                        }
                        status = FenceStatus.valueOf(row.getString(1));
                    }
                }
                connection.commit();
                return status;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreSession(connection);
            }
        }
    }

    /** What the fence row of {@code transactionId} says now, without deciding anything; null when there is none. */
    public FenceStatus find(String transactionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT status FROM " + table + " WHERE tx_id = ?")) {
            select.setString(1, transactionId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? FenceStatus.valueOf(row.getString(1)) : null;
            }
        }
    }

    /**
     * Deletes fence rows created before {@code cutoff}, in small batches. Keep the cutoff older than the broker's
     * half-message retention: a check-back for a deleted row would roll back a committed message.
     *
     * @return the number of rows deleted
     */
    public long deleteCreatedBefore(Instant cutoff) throws SQLException {
        String sql = dialect.deleteAtMost(table, "created_at < ?");
        long deleted = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            int rows;
            do {
                delete.setTimestamp(1, Timestamp.from(cutoff));
                delete.setInt(2, DELETE_BATCH);
                rows = delete.executeUpdate();
                deleted += rows;
            } while (rows == DELETE_BATCH);
        }
        return deleted;
    }

    private void limitLockWait(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.limitLockWait(lockTimeout));
        }
    }

    /** Puts the pooled connection back as it was; a broken one is left to the pool, which discards it. */
    private void restoreSession(Connection connection) {
        try {
            if (connection.isClosed()) {
                return;
            }
            String restore = dialect.restoreLockWait();
            if (restore != null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(restore);
                }
            }
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // The connection broke: nothing to restore.
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        // 23505: PostgreSQL unique_violation; 23000 + 1062: MySQL/MariaDB duplicate entry.
        return "23505".equals(e.getSQLState()) || ("23000".equals(e.getSQLState()) && e.getErrorCode() == 1062);
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
