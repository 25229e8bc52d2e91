package dev.courier.outbox.internal;

import dev.courier.outbox.Transactions;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxResult;
import dev.courier.outbox.inbox.InboxWork;
import dev.courier.outbox.inbox.InboxWorkException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The inbox on a JDBC database. Duplicates are detected by the primary key (consumer, message_id). */
final class JdbcInbox implements Inbox {

    static final int MAX_KEY_LENGTH = 255;
    static final int PURGE_BATCH = 5_000;

    private static final Logger log = LoggerFactory.getLogger(JdbcInbox.class);

    private final String table;
    private final String defaultConsumer;
    private final Dialect dialect;
    private final Transactions transactions;
    private final InboxMetrics metrics;

    JdbcInbox(String table, String defaultConsumer, Dialect dialect, Transactions transactions, InboxMetrics metrics) {
        this.table = table;
        this.defaultConsumer = defaultConsumer;
        this.dialect = dialect;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    @Override
    public <T> InboxResult<T> receive(String messageId, InboxWork<T> work) {
        return receive(defaultConsumer, messageId, work);
    }

    @Override
    public <T> InboxResult<T> receive(String consumer, String messageId, InboxWork<T> work) {
        requireKey(consumer, "consumer");
        requireKey(messageId, "messageId");
        InboxResult<T> result = transactions.inTransaction(connection -> {
            if (!record(connection, consumer, messageId)) {
                return InboxResult.duplicate();
            }
            return InboxResult.processed(run(work, connection, messageId));
        });
        if (result.isDuplicate()) {
            log.debug("Skipped duplicate message {} for consumer {}", messageId, consumer);
            metrics.duplicate(consumer);
        } else {
            metrics.processed(consumer);
        }
        return result;
    }

    @Override
    public Inbox on(Connection connection) {
        return new JdbcInbox(table, defaultConsumer, dialect, new ConnectionTransactions(connection), metrics);
    }

    @Override
    public long deleteReceivedBefore(Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = transactions.inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(dialect.inboxPurgeSql(table))) {
                    statement.setTimestamp(1, Timestamp.from(cutoff));
                    statement.setInt(2, PURGE_BATCH);
                    return statement.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }

    private boolean record(Connection connection, String consumer, String messageId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(dialect.inboxInsertSql(table))) {
            statement.setString(1, consumer);
            statement.setString(2, messageId);
            return statement.executeUpdate() == 1;
        }
    }

    private static <T> T run(InboxWork<T> work, Connection connection, String messageId) {
        try {
            return work.process(connection);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new InboxWorkException("Work on message " + messageId + " failed: " + e.getMessage(), e);
        }
    }

    static String requireKey(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be at most " + MAX_KEY_LENGTH + " characters, was " + value.length());
        }
        return value;
    }
}
