package dev.courier.rocketmq.local;

import java.sql.SQLException;

/** Tells a commit the database refused (definitely rolled back) from one whose outcome is open. */
final class CommitFailures {

    private CommitFailures() {}

    /**
     * True only when the database answered the commit with a refusal: an integrity violation (deferred constraint,
     * class 23) or a serialization failure / deadlock (class 40). A lost connection (class 08) and everything else
     * may have committed: unknown.
     */
    static boolean definitelyRolledBack(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String sqlClass =
                        sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
                return sqlClass.equals("23") || sqlClass.equals("40");
            }
        }
        return false;
    }
}
