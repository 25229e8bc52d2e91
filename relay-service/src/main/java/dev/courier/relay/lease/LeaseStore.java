package dev.courier.relay.lease;

import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Lease;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The member and lease tables. Every time is the database clock, so relay hosts need no synchronized clocks.
 * Conditions are in the UPDATE statements themselves: of two instances claiming one partition, exactly one matches.
 */
public final class LeaseStore {

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;

    public LeaseStore(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
    }

    /** Creates the lease rows of partitions 0 to {@code partitions - 1} that are missing. */
    public void ensurePartitions(int partitions) {
        String sql = dialect.insertIgnore(
                tables.lease(), "partition_no, owner, epoch, expires_at", "?, NULL, 0, " + dialect.now());
        jdbc.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int partition = 0; partition < partitions; partition++) {
                    insert.setInt(1, partition);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    public void heartbeat(String member) {
        jdbc.update(
                dialect.upsert(
                        tables.member(),
                        "member_id, heartbeat_at, started_at",
                        "?, " + dialect.now() + ", " + dialect.now(),
                        "member_id",
                        "heartbeat_at = " + dialect.now()),
                statement -> statement.setString(1, member));
    }

    /** Members whose last heartbeat is younger than {@code ttl}, this one included once it has beaten. */
    public int liveMembers(Duration ttl) {
        return jdbc.query(
                        "SELECT count(*) FROM " + tables.member() + " WHERE heartbeat_at > " + dialect.nowMinusMillis(),
                        statement -> statement.setLong(1, ttl.toMillis()),
                        row -> row.getInt(1))
                .getFirst();
    }

    /** Forgets members silent for longer than {@code after}. */
    public void forgetMembersSilentFor(Duration after) {
        jdbc.update(
                "DELETE FROM " + tables.member() + " WHERE heartbeat_at < " + dialect.nowMinusMillis(),
                statement -> statement.setLong(1, after.toMillis()));
    }

    /**
     * Extends every lease {@code member} holds and returns them, partition to epoch. A partition missing from the
     * answer was taken over by another member.
     */
    public Map<Integer, Long> renew(String member, Duration ttl) {
        jdbc.update(
                "UPDATE " + tables.lease() + " SET expires_at = " + dialect.nowPlusMillis() + " WHERE owner = ?",
                statement -> {
                    statement.setLong(1, ttl.toMillis());
                    statement.setString(2, member);
                });
        Map<Integer, Long> held = new HashMap<>();
        jdbc.query(
                "SELECT partition_no, epoch FROM " + tables.lease() + " WHERE owner = ?",
                statement -> statement.setString(1, member),
                row -> held.put(row.getInt(1), row.getLong(2)));
        return held;
    }

    /** Partitions nobody holds: never claimed, released, or left to expire by a dead member. */
    public List<Integer> claimable(int partitions) {
        return jdbc.query(
                "SELECT partition_no FROM " + tables.lease() + " WHERE partition_no < ? AND (owner IS NULL OR"
                        + " expires_at < " + dialect.now() + ") ORDER BY partition_no",
                statement -> statement.setInt(1, partitions),
                row -> row.getInt(1));
    }

    /** Takes {@code partition} if it is still free, with a new epoch. */
    public Optional<Lease> claim(int partition, String member, Duration ttl) {
        int claimed = jdbc.update(
                "UPDATE " + tables.lease() + " SET owner = ?, epoch = epoch + 1, expires_at = "
                        + dialect.nowPlusMillis() + " WHERE partition_no = ? AND (owner IS NULL OR expires_at < "
                        + dialect.now() + ")",
                statement -> {
                    statement.setString(1, member);
                    statement.setLong(2, ttl.toMillis());
                    statement.setInt(3, partition);
                });
        if (claimed == 0) {
            return Optional.empty();
        }
        return jdbc
                .query(
                        "SELECT epoch FROM " + tables.lease() + " WHERE partition_no = ? AND owner = ?",
                        statement -> {
                            statement.setInt(1, partition);
                            statement.setString(2, member);
                        },
                        row -> new Lease(partition, row.getLong(1)))
                .stream()
                .findFirst();
    }

    /** Gives {@code lease} up at once, if it is still this member's, so the next owner need not wait for expiry. */
    public void release(Lease lease, String member) {
        jdbc.update(
                "UPDATE " + tables.lease() + " SET owner = NULL, expires_at = " + dialect.now()
                        + " WHERE partition_no = ? AND owner = ? AND epoch = ?",
                statement -> {
                    statement.setInt(1, lease.partition());
                    statement.setString(2, member);
                    statement.setLong(3, lease.epoch());
                });
    }

    /** Releases everything {@code member} holds and removes it from the member table (clean shutdown). */
    public void leave(String member) {
        jdbc.update(
                "UPDATE " + tables.lease() + " SET owner = NULL, expires_at = " + dialect.now() + " WHERE owner = ?",
                statement -> statement.setString(1, member));
        jdbc.update(
                "DELETE FROM " + tables.member() + " WHERE member_id = ?", statement -> statement.setString(1, member));
    }

    public List<LeaseRow> all() {
        return jdbc.query(
                "SELECT partition_no, owner, epoch, expires_at FROM " + tables.lease() + " ORDER BY partition_no",
                statement -> {},
                row -> {
                    Timestamp expires = row.getTimestamp(4);
                    return new LeaseRow(row.getInt(1), row.getString(2), row.getLong(3), expires.toInstant());
                });
    }
}
