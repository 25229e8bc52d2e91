package dev.courier.relay.db;

import dev.courier.outbox.Database;
import java.util.Collection;
import java.util.Collections;

/** The few places where PostgreSQL and MySQL/MariaDB SQL differ. All times come from the database clock. */
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

    /** {@code (?, ?, ...)} for an IN list of {@code values.size()} parameters. */
    public static String inList(Collection<?> values) {
        return "(" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
    }
}
