package dev.courier.bench;

import dev.courier.localservices.database.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/** The notification table, written and read directly: backlogs inserted in one statement, and what the rows say. */
final class NotificationRows {

    private NotificationRows() {}

    static final String BODY = body();

    /** A 1 KB JSON document. */
    static String body() {
        StringBuilder json = new StringBuilder("{\"type\":\"payment.succeeded\",\"lines\":[");
        for (int i = 0; json.length() < 1000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"sku-")
                    .append(i)
                    .append("\",\"qty\":")
                    .append(i % 7)
                    .append('}');
        }
        return json.append("]}").toString();
    }

    /** Attempts by outcome and error, with their mean duration: failures during a drain would show here. */
    static String attempts(TestDatabase db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery("SELECT outcome, left(coalesce(error, ''), 80), count(*),"
                        + " round(avg(duration_ms)) FROM notifier_attempt GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5")) {
            while (rs.next()) {
                out.append(String.format(
                        "%s %s x%d (%d ms); ", rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return out.toString();
    }

    static void fillDue(TestDatabase db, List<UUID> endpoints, int count) throws Exception {
        insert(db, endpoints, count, "now()", 0);
    }

    static void fillScheduled(TestDatabase db, List<UUID> endpoints, int count) throws Exception {
        insert(db, endpoints, count, "now() + interval '1 day'", 0);
    }

    /** Retries due now: rows in their second attempt of the round. */
    static void fillRetries(TestDatabase db, List<UUID> endpoints, int count) throws Exception {
        insert(db, endpoints, count, "now()", 1);
    }

    static void insert(TestDatabase db, List<UUID> endpoints, int count, String dueAt, int attemptsMade)
            throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO notifier_notification (id, endpoint_id,"
                        + " source, idempotency_key, event_type, body, status, next_attempt_at, attempts,"
                        + " round_attempts) SELECT gen_random_uuid(), (?::uuid[])[1 + i % ?], 'bench',"
                        + " gen_random_uuid()::text, 'bench.event', ?, 'PENDING', " + dueAt + ", ?, ?"
                        + " FROM generate_series(0, ? - 1) AS i")) {
            insert.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            insert.setInt(2, endpoints.size());
            insert.setString(3, BODY);
            insert.setInt(4, attemptsMade);
            insert.setInt(5, attemptsMade);
            insert.setInt(6, count);
            insert.executeUpdate();
        }
    }

    /** Cancels the endpoints' pending notifications and disables them: they take no part in later cells. */
    static void retire(TestDatabase db, List<UUID> endpoints) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement cancel = c.prepareStatement("UPDATE notifier_notification SET status = 'CANCELLED'"
                        + " WHERE status = 'PENDING' AND endpoint_id = ANY (?::uuid[])");
                PreparedStatement disable =
                        c.prepareStatement("UPDATE notifier_endpoint SET enabled = false WHERE id = ANY (?::uuid[])")) {
            cancel.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            cancel.executeUpdate();
            disable.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            disable.executeUpdate();
        }
    }

    static String setting(TestDatabase db, String name) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Cleans the notification table before a cell, as autovacuum would between bursts. This machine's PostgreSQL runs
     * with autovacuum off; without this, the dead row versions of every earlier cell would slow the later cells' claims
     * (each claim reads past them in the due index), and a cell would measure its place in the run.
     */
    static void vacuum(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            // The attempts too: the throughput cells leave hundreds of thousands, whose autovacuum otherwise ran
            // during the first latency round after them.
            statement.execute("VACUUM (ANALYZE) notifier_notification, notifier_attempt");
        }
    }

    static String tableSize(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery(
                        "SELECT pg_size_pretty(pg_total_relation_size('notifier_notification'))")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Where a round's time went inside the notifier, from its own records: accepted (the row's creation) to the first
     * attempt's start, and the attempt itself.
     */
    static String insideTheNotifier(TestDatabase db, List<UUID> endpoints, Timestamp since) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement query = c.prepareStatement("SELECT"
                        + " percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP"
                        + " (ORDER BY extract(epoch FROM a.started_at - n.created_at) * 1000),"
                        + " percentile_cont(0.99) WITHIN GROUP (ORDER BY a.duration_ms)"
                        + " FROM notifier_notification n JOIN notifier_attempt a ON a.notification_id = n.id"
                        + " AND a.number = 1 WHERE n.endpoint_id = ANY (?::uuid[]) AND n.created_at >= ?")) {
            query.setArray(1, c.createArrayOf("uuid", endpoints.toArray()));
            query.setTimestamp(2, since);
            try (var rs = query.executeQuery()) {
                rs.next();
                Double[] accepted = (Double[]) rs.getArray(1).getArray();
                return String.format(
                        "accepted to sent p50 %.1f p99 %.1f ms, attempt p99 %.0f ms",
                        accepted[0], accepted[1], rs.getDouble(2));
            }
        }
    }

    static Timestamp databaseNow(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement statement = c.createStatement();
                var rs = statement.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }
}
