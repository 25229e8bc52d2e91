package dev.courier.outbox.schema;

import dev.courier.outbox.Database;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;

/**
 * The few places where PostgreSQL and MySQL/MariaDB SQL differ, shared by the outbox writer, the relay's stores and
 * the RocketMQ fence. All times come from the database clock. Table and column names passed in must be validated
 * identifiers ({@link dev.courier.outbox.SqlIdentifiers}); values go in as bind parameters.
 */
public enum SqlDialect {
    POSTGRESQL {
        @Override
        public String now() {
            return "clock_timestamp()";
        }

        @Override
        public String nowPlusMillis() {
            return "clock_timestamp() + ? * interval '1 millisecond'";
        }

        @Override
        public String nowMinusMillis() {
            return "clock_timestamp() - ? * interval '1 millisecond'";
        }

        @Override
        public String insertIgnore(String table, String columns, String values) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT DO NOTHING";
        }

        @Override
        public String upsert(String table, String columns, String values, String key, String update) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT (" + key
                    + ") DO UPDATE SET " + update;
        }

        @Override
        public String uuidParameter() {
            return "CAST(? AS uuid)";
        }

        @Override
        public String excluded(String column) {
            return "EXCLUDED." + column;
        }

        @Override
        public String jsonParameter() {
            return "CAST(? AS jsonb)";
        }

        @Override
        public String overridingIdentity() {
            return " OVERRIDING SYSTEM VALUE";
        }

        @Override
        public String insertIgnoreSelect(String table, String columns, String select) {
            return "INSERT INTO " + table + " (" + columns + ") " + select + " ON CONFLICT DO NOTHING";
        }

        @Override
        public String deleteAtMost(String table, String condition) {
            return "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + condition
                    + " LIMIT ?)";
        }

        @Override
        public String latestCommittedRead() {
            return "";
        }

        @Override
        public String limitLockWait(Duration timeout) {
            return "SET LOCAL lock_timeout = " + Math.max(1, timeout.toMillis());
        }

        @Override
        public String restoreLockWait() {
            return null;
        }
    },
    MYSQL {
        @Override
        public String now() {
            return "NOW(3)";
        }

        @Override
        public String nowPlusMillis() {
            return "TIMESTAMPADD(MICROSECOND, ? * 1000, NOW(3))";
        }

        @Override
        public String nowMinusMillis() {
            return "TIMESTAMPADD(MICROSECOND, ? * -1000, NOW(3))";
        }

        @Override
        public String insertIgnore(String table, String columns, String values) {
            return "INSERT IGNORE INTO " + table + " (" + columns + ") VALUES (" + values + ")";
        }

        @Override
        public String upsert(String table, String columns, String values, String key, String update) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON DUPLICATE KEY UPDATE "
                    + update;
        }

        @Override
        public String uuidParameter() {
            return "?";
        }

        @Override
        public String excluded(String column) {
            return "VALUES(" + column + ")";
        }

        @Override
        public String jsonParameter() {
            return "?";
        }

        @Override
        public String overridingIdentity() {
            return "";
        }

        @Override
        public String insertIgnoreSelect(String table, String columns, String select) {
            return "INSERT IGNORE INTO " + table + " (" + columns + ") " + select;
        }

        @Override
        public String deleteAtMost(String table, String condition) {
            return "DELETE FROM " + table + " WHERE " + condition + " LIMIT ?";
        }

        @Override
        public String latestCommittedRead() {
            return " LOCK IN SHARE MODE";
        }

        @Override
        public String limitLockWait(Duration timeout) {
            // Whole seconds only, and a session setting: restoreLockWait() before the connection goes back to a pool.
            return "SET SESSION innodb_lock_wait_timeout = " + Math.max(1, timeout.toSeconds());
        }

        @Override
        public String restoreLockWait() {
            return "SET SESSION innodb_lock_wait_timeout = DEFAULT";
        }
    };

    public static SqlDialect of(Database database) {
        return database == Database.POSTGRESQL ? POSTGRESQL : MYSQL;
    }

    /** The current time of the database clock, moving within a transaction. */
    public abstract String now();

    /** The database clock plus a bound number of milliseconds (one parameter). */
    public abstract String nowPlusMillis();

    /** The database clock minus a bound number of milliseconds (one parameter). */
    public abstract String nowMinusMillis();

    public abstract String insertIgnore(String table, String columns, String values);

    /** Insert, or on a key conflict apply {@code update} (a SET list that refers to the existing row). */
    public abstract String upsert(String table, String columns, String values, String key, String update);

    /** A bind parameter holding a message id given as a string. */
    public abstract String uuidParameter();

    /** A bind parameter holding a JSON document given as a string. */
    public abstract String jsonParameter();

    /** In an upsert's update list: the value the failed insert proposed for {@code column}. */
    public abstract String excluded(String column);

    /** Between an INSERT's column list and its SELECT: lets an explicit value into the identity column. */
    public abstract String overridingIdentity();

    /** {@code INSERT ... SELECT} that skips rows whose key already exists. */
    public abstract String insertIgnoreSelect(String table, String columns, String select);

    /** Deletes at most a bound number of rows (the last parameter) matching {@code condition}. */
    public abstract String deleteAtMost(String table, String condition);

    /**
     * Appended to a SELECT inside a transaction so that it sees the latest committed row and waits for an
     * uncommitted one: empty on PostgreSQL (read committed: every statement takes a new snapshot), a shared lock on
     * MySQL/MariaDB (whose repeatable read would show the transaction's first snapshot).
     */
    public abstract String latestCommittedRead();

    /** A statement bounding how long the current transaction waits for a row lock (at least 1 ms, or 1 s on MySQL). */
    public abstract String limitLockWait(Duration timeout);

    /** The statement undoing {@link #limitLockWait} for the session, or null when it ended with the transaction. */
    public abstract String restoreLockWait();

    /** {@code (?, ?, ...)} for an IN list of {@code values.size()} parameters. */
    public static String inList(Collection<?> values) {
        return "(" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
    }
}
