package dev.courier.relay.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.Lease;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelaySchema;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.park.PollingParking;
import dev.courier.relay.source.OutboxRecord;
import dev.courier.relay.source.OutboxSource;
import dev.courier.relay.support.RelayInstance;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Partition leases on PostgreSQL: fair shares, hand-over, expiry of dead members, and the epoch fence. */
class PostgresLeasesIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final RelayTables TABLES = new RelayTables("courier_outbox");
    static final Duration TTL = Duration.ofSeconds(3);

    static LeaseStore leases;
    static OutboxSource source;
    static PollingParking parking;

    @BeforeAll
    static void schema() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        RelaySchema.migrate(DB.dataSource(), Database.POSTGRESQL, TABLES);
        Jdbc jdbc = new Jdbc(DB.dataSource());
        leases = new LeaseStore(jdbc, SqlDialect.POSTGRESQL, TABLES);
        source = new OutboxSource(jdbc, SqlDialect.POSTGRESQL, TABLES);
        parking = new PollingParking(jdbc, SqlDialect.POSTGRESQL, TABLES);
    }

    @BeforeEach
    void freeAllPartitions() throws SQLException {
        execute("DELETE FROM " + TABLES.lease());
        execute("DELETE FROM " + TABLES.member());
        execute("DELETE FROM courier_outbox");
    }

    @Test
    void membersSplitThePartitionsAndTheSurvivorTakesAllBack() {
        try (RelayInstance a = RelayInstance.start(DB.database(), "member-a", Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> owned(a).size() == 32);

            try (RelayInstance b = RelayInstance.start(DB.database(), "member-b", Map.of())) {
                await().atMost(Duration.ofSeconds(15)).until(() -> owned(a).size() == 16 && owned(b).size() == 16);
                Set<Integer> union = new HashSet<>(owned(a));
                union.addAll(owned(b));
                assertThat(union).hasSize(32);
                assertThat(leases.all())
                        .allSatisfy(row -> assertThat(memberName(row)).isIn("member-a", "member-b"));
            }

            // b released its leases when it stopped: a needs no expiry to take them back.
            await().atMost(Duration.ofSeconds(5)).until(() -> owned(a).size() == 32);
        }
    }

    @Test
    void aDeadMembersPartitionsMoveOnlyAfterItsLeaseExpires() throws SQLException {
        leases.ensurePartitions(32);
        leases.heartbeat("ghost");
        // The ghost's leases outlive its heartbeat, as when a member dies right after renewing. Partition 2 was
        // held by a crashed earlier process of member-a itself: the restarted member-a must not adopt it either.
        Duration ghostTtl = Duration.ofSeconds(8);
        List<Lease> ghostLeases = List.of(
                leases.claim(0, "ghost", ghostTtl).orElseThrow(),
                leases.claim(1, "ghost", ghostTtl).orElseThrow(),
                leases.claim(2, "member-a#crashed", ghostTtl).orElseThrow());

        try (RelayInstance a = RelayInstance.start(DB.database(), "member-a", Map.of())) {
            await().atMost(Duration.ofSeconds(7)).until(() -> owned(a).size() == 29);
            assertThat(owned(a)).doesNotContain(0, 1, 2);

            // The ghost never renews: after its TTL the survivor claims both with a higher epoch.
            await().atMost(Duration.ofSeconds(15)).until(() -> owned(a).size() == 32);
            Map<Integer, LeaseRow> rows = byPartition(leases.all());
            for (Lease ghost : ghostLeases) {
                assertThat(memberName(rows.get(ghost.partition()))).isEqualTo("member-a");
                assertThat(rows.get(ghost.partition()).owner()).isNotEqualTo("member-a#crashed");
                assertThat(rows.get(ghost.partition()).epoch()).isGreaterThan(ghost.epoch());
            }
        }
    }

    @Test
    void aMemberThatLostItsLeaseDeletesAndParksNothing() throws SQLException {
        leases.ensurePartitions(32);
        Lease stale = leases.claim(5, "old-owner", TTL).orElseThrow();
        insertOutboxRow(5, "aaaaaaaa-0000-7000-8000-000000000001");
        OutboxRecord row = source.fetch(List.of(5), 10).getFirst();

        // The lease expires and another member takes the partition over.
        execute("UPDATE " + TABLES.lease() + " SET expires_at = now() - interval '1 second' WHERE partition_no = 5");
        Lease current = leases.claim(5, "new-owner", TTL).orElseThrow();
        assertThat(current.epoch()).isEqualTo(stale.epoch() + 1);

        Set<Lease> lost = source.deletePublished("old-owner", Map.of(stale, List.of(row)));
        assertThat(lost).containsExactly(stale);
        assertThat(parking.chargeAttempt("old-owner", stale, row, "boom", 1))
                .isEqualTo(PollingParking.Charge.LEASE_LOST);
        assertThat(source.fetch(List.of(5), 10)).extracting(OutboxRecord::id).containsExactly(row.id());

        // The current owner's fence holds.
        assertThat(source.deletePublished("new-owner", Map.of(current, List.of(row))))
                .isEmpty();
        assertThat(source.fetch(List.of(5), 10)).isEmpty();
    }

    private static Set<Integer> owned(RelayInstance relay) {
        return relay.relay().engine().owned();
    }

    private static Map<Integer, LeaseRow> byPartition(List<LeaseRow> rows) {
        return rows.stream().collect(Collectors.toMap(LeaseRow::partition, row -> row));
    }

    private static void insertOutboxRow(int partition, String id) throws SQLException {
        execute("INSERT INTO courier_outbox (id, aggregatetype, aggregateid, type, payload, partition_no) VALUES ('"
                + id + "', 'order', 'o-1', 'OrderPlaced', 'x', " + partition + ")");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DB.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The configured member name of a lease owner, without its incarnation tag. */
    private static String memberName(LeaseRow row) {
        return row.owner().substring(0, row.owner().indexOf('#'));
    }
}
