package dev.courier.relay.source;

import dev.courier.outbox.schema.OutboxTable;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Lease;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.retention.PublishedArchive;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads outbox rows per partition in insertion order and deletes published ones under the lease fence. There is no
 * cursor: each fetch starts at the lowest row still present above a floor the engine raises only where no row can
 * appear any more (see the engine's {@code FetchFloors}), so a row whose transaction committed late is fetched as soon
 * as it is visible.
 */
public final class OutboxSource {

    /** Bind parameters per DELETE statement, well below every driver's limit. */
    private static final int DELETE_CHUNK = 2_000;

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;
    private final Optional<PublishedArchive> archive;

    /** A source that deletes published rows. */
    public OutboxSource(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this(jdbc, dialect, tables, Optional.empty());
    }

    /** A source that moves published rows into {@code archive} when present, and deletes them otherwise. */
    public OutboxSource(Jdbc jdbc, SqlDialect dialect, RelayTables tables, Optional<PublishedArchive> archive) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
        this.archive = archive;
    }

    /**
     * The oldest {@code limit} rows of each partition in {@code partitions}, in {@code seq} order, leaving out keys
     * held back by a parked message.
     */
    public List<OutboxRecord> fetch(Collection<Integer> partitions, int limit) {
        return fetch(
                        partitions.stream()
                                .map(partition -> new Window(partition, 0, Set.of()))
                                .toList(),
                        limit)
                .rows();
    }

    /**
     * Where one partition's fetch looks: rows with a seq above {@code after} (a floor below which every row is gone
     * for good, see the engine's {@code FetchFloors}; 0 for all), leaving out the seqs in {@code skipping}.
     */
    public record Window(int partition, long after, Set<Long> skipping) {}

    /**
     * What a fetch found: the rows in per-partition seq order, and per partition the lowest seq the query returned,
     * rows of the windows' {@code skipping} included.
     */
    public record Fetched(List<OutboxRecord> rows, Map<Integer, Long> lowestSeq) {}

    /** Up to {@code limit} rows of each window that are not held back by a parked message, in seq order. */
    public Fetched fetch(List<Window> windows, int limit) {
        if (windows.isEmpty()) {
            return new Fetched(List.of(), Map.of());
        }
        List<OutboxRecord> rows = new ArrayList<>(
                dialect == SqlDialect.POSTGRESQL ? fetchLateral(windows, limit) : fetchUnion(windows, limit));
        // Per-partition seq order is what publishing relies on. The queries order each partition's subquery, but
        // a join above it may not keep that order (a hash join may not), so it is restored here.
        rows.sort(FETCH_ORDER);
        Map<Integer, Long> lowest = new HashMap<>();
        rows.forEach(row -> lowest.putIfAbsent(row.partition(), row.seq()));
        Map<Integer, Set<Long>> skipping = new HashMap<>();
        windows.stream()
                .filter(window -> !window.skipping().isEmpty())
                .forEach(window -> skipping.put(window.partition(), window.skipping()));
        if (!skipping.isEmpty()) {
            rows.removeIf(
                    row -> skipping.getOrDefault(row.partition(), Set.of()).contains(row.seq()));
        }
        return new Fetched(rows, lowest);
    }

    private static final Comparator<OutboxRecord> FETCH_ORDER =
            Comparator.comparingInt(OutboxRecord::partition).thenComparingLong(OutboxRecord::seq);

    /**
     * PostgreSQL: one statement text whatever the partitions (an array parameter and a LATERAL subquery per
     * partition), so the driver keeps it prepared and the server plans it once, not on every wake-up.
     */
    private List<OutboxRecord> fetchLateral(List<Window> windows, int limit) {
        String sql = "SELECT " + ROW_AND_ATTEMPTS
                + " FROM unnest(?, ?, ?) AS w(partition_no, row_limit, after_seq) CROSS JOIN LATERAL"
                + " (SELECT x.* FROM " + tables.outbox() + " x WHERE x.partition_no = w.partition_no AND x.seq >"
                + " w.after_seq AND " + notHeldBack("x") + " ORDER BY x.seq LIMIT w.row_limit) o LEFT JOIN "
                + tables.attempt() + " a ON a.id = o.id";
        return jdbc.query(
                sql,
                statement -> {
                    Connection connection = statement.getConnection();
                    statement.setArray(
                            1,
                            connection.createArrayOf(
                                    "integer",
                                    windows.stream().map(Window::partition).toArray(Integer[]::new)));
                    statement.setArray(
                            2,
                            connection.createArrayOf(
                                    "integer",
                                    windows.stream()
                                            .map(window ->
                                                    limit + window.skipping().size())
                                            .toArray(Integer[]::new)));
                    statement.setArray(
                            3,
                            connection.createArrayOf(
                                    "bigint",
                                    windows.stream().map(Window::after).toArray(Long[]::new)));
                },
                OutboxSource::record);
    }

    /** MySQL/MariaDB (MariaDB has no LATERAL): one UNION ALL branch per partition. */
    private List<OutboxRecord> fetchUnion(List<Window> windows, int limit) {
        String perPartition = "(SELECT " + ROW_AND_ATTEMPTS + " FROM " + tables.outbox() + " o"
                + " LEFT JOIN " + tables.attempt() + " a ON a.id = o.id"
                + " WHERE o.partition_no = ? AND o.seq > ? AND " + notHeldBack("o") + " ORDER BY o.seq LIMIT ?)";
        String sql = String.join(" UNION ALL ", Collections.nCopies(windows.size(), perPartition));
        return jdbc.query(
                sql,
                statement -> {
                    int index = 1;
                    for (Window window : windows) {
                        statement.setInt(index++, window.partition());
                        statement.setLong(index++, window.after());
                        statement.setInt(index++, limit + window.skipping().size());
                    }
                },
                OutboxSource::record);
    }

    /**
     * PostgreSQL: whether fetch floors are safe on this table. They rely on the seq identity handing out values in
     * the order it is called, which a sequence cache larger than 1 breaks (each session takes a range of its own).
     */
    public boolean supportsFetchFloors() {
        if (dialect != SqlDialect.POSTGRESQL) {
            return false;
        }
        List<Long> cache = jdbc.query(
                "SELECT seqcache FROM pg_sequence WHERE seqrelid = CAST(pg_get_serial_sequence(?, 'seq') AS regclass)",
                statement -> statement.setString(1, tables.outbox()),
                row -> row.getLong(1));
        return cache.size() == 1 && cache.getFirst() == 1;
    }

    /**
     * PostgreSQL: the transactions (virtual ids) holding a lock that lets them insert into the outbox table, right
     * now. A transaction takes that lock before its insert draws a seq, and holds it until it ends.
     */
    public Set<String> writers() {
        return new HashSet<>(jdbc.query(
                "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'relation' AND relation = CAST(? AS regclass)"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        + " AND mode = 'RowExclusiveLock' AND granted",
                statement -> statement.setString(1, tables.outbox()),
                row -> row.getString(1)));
    }

    /** Leaves out rows whose key waits behind a parked message. */
    private String notHeldBack(String alias) {
        return "NOT EXISTS (SELECT 1 FROM " + tables.parked() + " p WHERE p.status = 'PARKED' AND p.aggregatetype = "
                + alias + ".aggregatetype AND p.aggregateid = " + alias + ".aggregateid)";
    }

    /** The outbox row ({@code o}) in {@link OutboxTable#ROW} order, then its attempts ({@code a}). */
    private static final String ROW_AND_ATTEMPTS = OutboxTable.list("o", OutboxTable.ROW) + ", a.attempts";

    /** Reads a row selected as {@link OutboxTable#ROW}, then the attempts. */
    public static OutboxRecord record(ResultSet row) throws SQLException {
        return new OutboxRecord(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getBytes(5),
                row.getString(6),
                row.getInt(7),
                row.getLong(8),
                row.getTimestamp(9).toInstant(),
                row.getInt(10));
    }

    /**
     * Deletes published rows, fenced: in one transaction the lease rows are locked and only the partitions still held
     * by {@code member} with the expected epoch lose their rows. A member that lost a partition deletes nothing there.
     * With retention the rows are moved into the published archive instead, in the same transaction.
     *
     * @param published acknowledged rows, by the lease they were fetched under
     * @return the leases that no longer hold (nothing was deleted for them)
     */
    public Set<Lease> deletePublished(String member, Map<Lease, List<OutboxRecord>> published) {
        if (published.isEmpty()) {
            return Set.of();
        }
        return jdbc.inTransaction(connection -> {
            relaxCommit(connection);
            Set<Lease> lost = new HashSet<>(published.keySet());
            List<Integer> partitions =
                    published.keySet().stream().map(Lease::partition).toList();
            Jdbc.query(
                    connection,
                    "SELECT partition_no, epoch FROM " + tables.lease() + " WHERE owner = ? AND partition_no IN "
                            + SqlDialect.inList(partitions) + " FOR UPDATE",
                    statement -> {
                        statement.setString(1, member);
                        for (int i = 0; i < partitions.size(); i++) {
                            statement.setInt(i + 2, partitions.get(i));
                        }
                    },
                    row -> lost.remove(new Lease(row.getInt(1), row.getLong(2))));
            Map<Lease, List<OutboxRecord>> held = new HashMap<>(published);
            held.keySet().removeAll(lost);
            remove(connection, held);
            return lost;
        });
    }

    /**
     * CDC mode: deletes (or archives) published rows without a lease fence. The change stream has one reader at a
     * time, and removing a row that Kafka acknowledged is always safe.
     */
    public Set<String> removePublished(List<OutboxRecord> published) {
        if (published.isEmpty()) {
            return Set.of();
        }
        Map<Lease, List<OutboxRecord>> byPartition = new HashMap<>();
        published.forEach(record -> byPartition
                .computeIfAbsent(new Lease(record.partition(), 0), lease -> new ArrayList<>())
                .add(record));
        return jdbc.inTransaction(connection -> {
            relaxCommit(connection);
            return remove(connection, byPartition);
        });
    }

    /**
     * PostgreSQL: which of the transactions {@code xids} (32-bit ids, as logical decoding reports them) are still in
     * progress for a new snapshot. Logical decoding can hand out a transaction once its commit record is flushed, a
     * moment before the transaction becomes visible to other sessions: a row of it that a delete did not find may
     * still appear.
     */
    public Set<Long> inProgress(Collection<Long> xids) {
        if (xids.isEmpty()) {
            return Set.of();
        }
        // A snapshot treats as running the xids in its xip list and every xid from its xmax on (those are not
        // listed): pg_visible_in_snapshot covers both. The 32-bit xid gets the epoch of the snapshot's xmax, moved
        // by one epoch where it lies more than 2^31 away (a wraparound in between).
        return new HashSet<>(jdbc.query(
                "WITH s AS (SELECT pg_current_snapshot() AS snap),"
                        + " m AS (SELECT snap, pg_snapshot_xmax(snap)::text::bigint AS xmax FROM s),"
                        + " f AS (SELECT x, snap, xmax, ((xmax >> 32) << 32) | x AS full_xid"
                        + " FROM unnest(CAST(? AS bigint[])) AS x, m)"
                        + " SELECT x FROM f WHERE NOT pg_visible_in_snapshot((CASE"
                        + " WHEN full_xid > xmax + 2147483648 THEN full_xid - 4294967296"
                        + " WHEN full_xid < xmax - 2147483648 THEN full_xid + 4294967296"
                        + " ELSE full_xid END)::text::xid8, snap)",
                statement -> statement.setArray(
                        1, statement.getConnection().createArrayOf("bigint", xids.toArray(Long[]::new))),
                row -> row.getLong(1)));
    }

    /**
     * Removing published rows need not wait for the WAL flush: if the server crashed before it, the rows would come
     * back and be published again, which at-least-once delivery allows. Saves a disk flush per batch, which is most of
     * the time a partition waits between two batches.
     */
    private void relaxCommit(Connection connection) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            Jdbc.update(connection, "SET LOCAL synchronous_commit = off", statement -> {});
        }
    }

    /**
     * Archives (with retention) and deletes {@code published}, inside the caller's transaction.
     *
     * @return on PostgreSQL the ids no row was found for (deleted already, or not yet visible); empty on MySQL
     */
    private Set<String> remove(Connection connection, Map<Lease, List<OutboxRecord>> published) throws SQLException {
        List<Integer> held = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<String> withAttempts = new ArrayList<>();
        for (Map.Entry<Lease, List<OutboxRecord>> entry : published.entrySet()) {
            Lease lease = entry.getKey();
            held.add(lease.partition());
            List<Long> leaseSeqs = new ArrayList<>();
            for (OutboxRecord record : entry.getValue()) {
                leaseSeqs.add(record.seq());
                ids.add(UUID.fromString(record.id()));
                if (record.attempts() > 0) {
                    withAttempts.add(record.id());
                }
            }
            if (archive.isPresent()) {
                for (int from = 0; from < leaseSeqs.size(); from += DELETE_CHUNK) {
                    archive.get()
                            .archive(
                                    connection,
                                    lease,
                                    leaseSeqs.subList(from, Math.min(leaseSeqs.size(), from + DELETE_CHUNK)));
                }
            }
            seqs.addAll(leaseSeqs);
        }
        Set<String> missing = new HashSet<>();
        if (dialect == SqlDialect.POSTGRESQL) {
            ids.forEach(id -> missing.add(id.toString()));
            // One removal per deleted id: Set.removeAll(List) of equal sizes calls List.contains for every element,
            // quadratic in the batch (16% of the relay's CPU in a drain).
            deleteByIds(connection, ids).forEach(missing::remove);
        } else {
            for (int from = 0; from < seqs.size(); from += DELETE_CHUNK) {
                deleteRows(connection, held, seqs.subList(from, Math.min(seqs.size(), from + DELETE_CHUNK)));
            }
        }
        if (!withAttempts.isEmpty()) {
            deleteAttempts(connection, withAttempts);
        }
        return missing;
    }

    /**
     * PostgreSQL: deletes the rows by id, one primary-key probe each, in one statement of fixed text. A plan that
     * depends on the table's statistics is a trap here: an outbox drained and vacuumed has many pages and zero rows
     * in its statistics, and when a backlog builds up again (a Kafka outage) a join of the published pairs to the
     * table became a nested loop scanning the whole (partition_no, seq) index once per published row: minutes per
     * delete at 200,000 rows. {@code id = ANY(?)} is an index condition on the primary key whatever the statistics.
     * (Earlier, {@code partition_no = ANY(?) AND seq = ANY(?)} let the planner scan whole partitions.)
     */
    private List<String> deleteByIds(Connection connection, List<UUID> ids) throws SQLException {
        return Jdbc.query(
                connection,
                "DELETE FROM " + tables.outbox() + " WHERE id = ANY(?) RETURNING id",
                statement -> statement.setArray(1, connection.createArrayOf("uuid", ids.toArray(UUID[]::new))),
                row -> row.getString(1));
    }

    /** MySQL/MariaDB: seq is the primary key there, so the IN lists are key lookups. */
    private void deleteRows(Connection connection, List<Integer> partitions, List<Long> seqs) throws SQLException {
        Jdbc.update(
                connection,
                "DELETE FROM " + tables.outbox() + " WHERE partition_no IN " + SqlDialect.inList(partitions)
                        + " AND seq IN " + SqlDialect.inList(seqs),
                statement -> {
                    int index = 1;
                    for (int partition : partitions) {
                        statement.setInt(index++, partition);
                    }
                    for (long seq : seqs) {
                        statement.setLong(index++, seq);
                    }
                });
    }

    private void deleteAttempts(Connection connection, List<String> ids) throws SQLException {
        Jdbc.update(
                connection,
                "DELETE FROM " + tables.attempt() + " WHERE id IN "
                        + SqlDialect.inList(ids).replace("?", dialect.uuidParameter()),
                statement -> {
                    for (int i = 0; i < ids.size(); i++) {
                        statement.setString(i + 1, ids.get(i));
                    }
                });
    }

    /** Waiting rows per non-empty partition. Counts every row: meant for monitoring every few seconds, not per batch. */
    public List<PartitionBacklog> backlog() {
        return jdbc.query(
                "SELECT partition_no, count(*), min(created_at) FROM " + tables.outbox()
                        + " GROUP BY partition_no ORDER BY partition_no",
                statement -> {},
                row -> new PartitionBacklog(
                        row.getInt(1), row.getLong(2), row.getTimestamp(3).toInstant()));
    }

    /** The highest partition number present, to catch a partition count that disagrees with the writers'. */
    public int maxPartitionPresent() {
        return jdbc.query(
                        "SELECT max(partition_no) FROM " + tables.outbox(),
                        statement -> {},
                        row -> row.getObject(1) == null ? -1 : row.getInt(1))
                .getFirst();
    }
}
