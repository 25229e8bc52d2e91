package dev.courier.relay.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.relay.db.RelaySchema;
import dev.courier.relay.db.RelayTables;
import dev.courier.relay.support.RelayInstance;
import dev.courier.relay.support.ReplicationSlots;
import dev.courier.relay.support.TopicReader;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The replication slot seen from operations: its lag, retained WAL and reader in metrics and health, the heartbeat
 * that lets it advance while the outbox is quiet, and the clean-up of a slot left behind by a switch back to polling.
 */
class PostgresCdcSlotIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = ReplicationSlots.unique("courier_slot_it");

    @BeforeAll
    static void migrate() {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        // The relay's own tables, which its start would create: the offsets table is written before one starts.
        RelaySchema.migrate(DB.dataSource(), Database.POSTGRESQL, new RelayTables("courier_outbox"));
    }

    @AfterEach
    void dropSlot() throws SQLException {
        ReplicationSlots.drop(DB.dataSource(), SLOT);
        query("DELETE FROM courier_outbox_cdc_offset");
    }

    @Test
    void snapshotsInsteadOfFailingWhenTheSlotWasCreatedAgainAfterItsOffsetsWereStored() throws Exception {
        Outbox outbox = Outbox.builder(DB.dataSource()).build();
        try (TopicReader reader = new TopicReader("outbox.event.recreated")) {
            try (RelayInstance relay = RelayInstance.start(DB.database(), "relay-first", cdcSettings())) {
                publish(outbox, "before");
                reader.awaitAtLeast(1, Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> scalar("SELECT count(*) FROM courier_outbox_cdc_offset") > 0);
            }
            // An operator drops the slot; a message is written while none exists; the slot is created again.
            query("SELECT pg_drop_replication_slot('" + SLOT + "')");
            publish(outbox, "between");
            query("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
            publish(outbox, "after");

            try (RelayInstance relay = RelayInstance.start(DB.database(), "relay-second", cdcSettings())) {
                // The snapshot finds "between" (written while no slot existed) and "after"; the new slot streams
                // "after" too, a duplicate that at-least-once delivery allows.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> labels(reader).containsAll(LABELS));
                assertThat(labels(reader).getFirst()).isEqualTo("before");
                assertThat(labels(reader).subList(1, 3)).containsExactly("between", "after");
                assertThat(relay.http().health()).isEqualTo(200);
            }
        }
    }

    private static final List<String> LABELS = List.of("before", "between", "after");

    private static List<String> labels(TopicReader reader) {
        return reader.poll().stream()
                .map(record ->
                        new String(record.value(), StandardCharsets.UTF_8).replaceAll(".*\"label\":\"(\\w+)\".*", "$1"))
                .toList();
    }

    private static void publish(Outbox outbox, String label) throws SQLException {
        try (Connection c = DB.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.on(c).publish("recreated", "r-1", "Labelled", Map.of("label", label));
            c.commit();
        }
    }

    @Test
    void reportsAnUnreadSlotAsDownAndRecoversOnceItsLeaderReadsIt() throws Exception {
        query("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
        // This test's session holds the slot's leader lock: the relay stands by and nobody reads the slot.
        try (Connection leader = DB.dataSource().getConnection()) {
            try (PreparedStatement lock =
                    leader.prepareStatement("SELECT pg_advisory_lock(x'4344434c'::int, hashtext(?))")) {
                lock.setString(1, SLOT);
                lock.executeQuery().close();
            }
            try (RelayInstance relay = RelayInstance.start(DB.database(), "relay-standby", cdcSettings())) {
                writeWal(200_000);

                await().atMost(Duration.ofSeconds(20)).until(() -> relay.http().health() == 503);
                String health =
                        relay.get("/actuator/health", RelayInstance.TOKEN).body();
                assertThat(health).contains("\"state\":\"STANDBY\"", "\"slotActive\":false", "\"slotUnreadSince\"");
                String scrape = scrape(relay);
                assertThat(gauge(scrape, "courier_relay_cdc_slot_active")).isZero();
                assertThat(gauge(scrape, "courier_relay_cdc_state", "state=\"STANDBY\""))
                        .isEqualTo(1);
                assertThat(gauge(scrape, "courier_relay_cdc_slot_lag_bytes")).isGreaterThanOrEqualTo(200_000);
                assertThat(gauge(scrape, "courier_relay_cdc_slot_retained_bytes"))
                        .isGreaterThanOrEqualTo(200_000);
                assertThat(gauge(scrape, "courier_relay_cdc_slot_unread_seconds"))
                        .isGreaterThan(1);

                try (PreparedStatement unlock =
                        leader.prepareStatement("SELECT pg_advisory_unlock(x'4344434c'::int, hashtext(?))")) {
                    unlock.setString(1, SLOT);
                    unlock.executeQuery().close();
                }

                await().atMost(Duration.ofSeconds(30)).until(() -> relay.http().health() == 200);
                String leading = scrape(relay);
                assertThat(gauge(leading, "courier_relay_cdc_state", "state=\"LEADING\""))
                        .isEqualTo(1);
                assertThat(gauge(leading, "courier_relay_cdc_slot_active")).isEqualTo(1);
                assertThat(gauge(leading, "courier_relay_cdc_slot_unread_seconds"))
                        .isZero();
            }
        }
    }

    @Test
    void heartbeatsLetTheSlotAdvanceWhileTheOutboxIsQuiet() throws Exception {
        try (RelayInstance relay = RelayInstance.start(DB.database(), "relay-heartbeat", cdcSettings())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> slotActive() && relay.http().health() == 200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gauge(scrape(relay), "courier_relay_cdc_last_event_age_seconds") < 2);

            // Other tables keep writing, the outbox stays quiet: WAL the slot must not keep. The slot may confirm some
            // of it while it is being written (heartbeats go on meanwhile; on a busy machine the write is slow), so
            // the WAL written is measured by positions, not by the slot's lag.
            String before = text("SELECT pg_current_wal_lsn()::text");
            writeWal(2_000_000);
            String after = text("SELECT pg_current_wal_lsn()::text");
            assertThat(scalar("SELECT pg_wal_lsn_diff('" + after + "', '" + before + "')::bigint"))
                    .isGreaterThanOrEqualTo(2_000_000);

            // The slot's confirmed position moves past everything written.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> scalar("SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '" + after + "')::bigint"
                                    + " FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")
                            >= 0);
            assertThat(gauge(scrape(relay), "courier_relay_cdc_last_event_age_seconds"))
                    .isLessThan(5);
        }
    }

    @Test
    void pollingModeDropsASlotThatNoCdcRelayReadsAndForgetsItsOffsets() throws Exception {
        query("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
        query("INSERT INTO courier_outbox_cdc_offset (offset_key, offset_value) VALUES ('k', 'v')");

        try (RelayInstance relay =
                RelayInstance.start(DB.database(), "relay-polling", Map.of("courier.relay.cdc.slot", SLOT))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ReplicationSlots.count(DB.dataSource(), SLOT) == 0);
            assertThat(scalar("SELECT count(*) FROM courier_outbox_cdc_offset")).isZero();
            assertThat(relay.http().health()).isEqualTo(200);
        }
    }

    private static Map<String, String> cdcSettings() {
        return Map.of(
                "courier.relay.mode", "cdc",
                "courier.relay.cdc.slot", SLOT,
                "courier.relay.cdc.slot-inactive-timeout", "1s",
                "courier.relay.cdc.heartbeat", "300ms",
                "courier.relay.cdc.leader-check-interval", "200ms");
    }

    /** Writes about {@code bytes} of WAL into a table outside the publication. */
    private static void writeWal(int bytes) throws SQLException {
        try (Connection c = DB.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS wal_noise (n int, filler text)");
            statement.execute("INSERT INTO wal_noise SELECT n, repeat('x', 1000) FROM generate_series(1, "
                    + (bytes / 1000) + ") n");
        }
    }

    private static boolean slotActive() throws SQLException {
        return scalar("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + SLOT + "'") == 1;
    }

    /** The query's number; 0 for SQL NULL, like {@code ResultSet.getLong}. */
    private static long scalar(String sql) throws SQLException {
        String value = text(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String text(String sql) throws SQLException {
        try (Connection c = DB.dataSource().getConnection();
                Statement statement = c.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private static void query(String sql) throws SQLException {
        try (Connection c = DB.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String scrape(RelayInstance relay) throws Exception {
        return relay.get("/actuator/prometheus", RelayInstance.TOKEN).body();
    }

    /** The value of a gauge in a Prometheus scrape, optionally of the series with {@code label}. */
    private static double gauge(String scrape, String name, String... label) {
        String labels = label.length == 0 ? "(\\{[^}]*})?" : "\\{[^}]*" + Pattern.quote(label[0]) + "[^}]*}";
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + labels + "\\s+(\\S+)$")
                .matcher(scrape);
        assertThat(matcher.find()).as("%s in the scrape", name).isTrue();
        return Double.parseDouble(matcher.group(matcher.groupCount()));
    }
}
