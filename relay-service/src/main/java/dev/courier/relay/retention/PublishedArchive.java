package dev.courier.relay.retention;

import dev.courier.outbox.schema.OutboxTable;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Lease;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Where published rows go when {@code courier.relay.outbox.retention} is set: moved from the outbox into
 * {@code <outbox>_published} in the same fenced transaction that would otherwise delete them, with the time and the
 * lease epoch of their publication, and pruned once older than the retention. Keeping them in their own table leaves
 * the outbox small, so fetching stays an index range scan however long the retention.
 */
public final class PublishedArchive {

    static final String COLUMNS = OutboxTable.list("", OutboxTable.ROW);

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;

    public PublishedArchive(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
    }

    /** Copies the rows {@code seqs} of {@code lease}'s partition; the caller deletes them in the same transaction. */
    public void archive(Connection connection, Lease lease, List<Long> seqs) throws SQLException {
        Jdbc.update(
                connection,
                dialect.insertIgnoreSelect(
                        tables.published(),
                        COLUMNS + ", lease_epoch",
                        "SELECT " + COLUMNS + ", ? FROM " + tables.outbox() + " WHERE partition_no = ? AND seq IN "
                                + SqlDialect.inList(seqs)),
                statement -> {
                    statement.setLong(1, lease.epoch());
                    statement.setInt(2, lease.partition());
                    int index = 3;
                    for (long seq : seqs) {
                        statement.setLong(index++, seq);
                    }
                });
    }

    /** Deletes archived rows published more than {@code retention} ago, in chunks; returns how many. */
    public long prune(Duration retention, int chunk) {
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.update(
                    dialect.deleteAtMost(tables.published(), "published_at < " + dialect.nowMinusMillis()),
                    statement -> {
                        statement.setLong(1, retention.toMillis());
                        statement.setInt(2, chunk);
                    });
            total += deleted;
        } while (deleted == chunk);
        return total;
    }

    /** Archived messages of one aggregate, newest first: what an operator asks when a consumer claims a gap. */
    public List<PublishedMessage> find(String aggregateType, String aggregateId, int limit) {
        return jdbc.query(
                "SELECT id, type, partition_no, seq, created_at, published_at, lease_epoch FROM " + tables.published()
                        + " WHERE aggregatetype = ? AND aggregateid = ? ORDER BY seq DESC LIMIT ?",
                statement -> {
                    statement.setString(1, aggregateType);
                    statement.setString(2, aggregateId);
                    statement.setInt(3, limit);
                },
                row -> new PublishedMessage(
                        row.getString(1),
                        aggregateType,
                        aggregateId,
                        row.getString(2),
                        row.getInt(3),
                        row.getLong(4),
                        row.getTimestamp(5).toInstant(),
                        row.getTimestamp(6).toInstant(),
                        row.getLong(7)));
    }
}
