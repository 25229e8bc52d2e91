package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/** The claim statement against PostgreSQL: what it leaves out, and how it leaves it out. */
class PostgresClaimStoreIT {

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.postgres();

    private static JdbcClient jdbc;
    private static ClaimStore claims;

    @BeforeAll
    static void migrate() {
        Flyway.configure()
                .dataSource(db.dataSource())
                .locations("classpath:db/notifier")
                .load()
                .migrate();
        jdbc = JdbcClient.create(db.dataSource());
        claims = new ClaimStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())));
    }

    @Test
    void leavesTheSkippedEndpointsNotificationsDueAndClaimsTheOthers() {
        UUID open = endpoint();
        UUID healthy = endpoint();
        due(open, 3);
        due(healthy, 3);

        List<Claim> first = claims.claim(
                ClaimStore.Scope.ALL, "claim-it/1", 10, 10, Duration.ofSeconds(60), List.of(open), List.of());
        List<Claim> second =
                claims.claim(ClaimStore.Scope.ALL, "claim-it/2", 10, 10, Duration.ofSeconds(60), List.of(), List.of());

        assertThat(first).hasSize(3).allMatch(claim -> claim.endpoint().id().equals(healthy));
        assertThat(second)
                .as("the skipped endpoint's notifications stayed due")
                .hasSize(3)
                .allMatch(claim -> claim.endpoint().id().equals(open));
    }

    @Test
    void aClaimOfSomeEndpointsLeavesTheOthersDueAndReadsOnlyThem() throws SQLException {
        // Only this test's endpoints take part (the other tests leave due rows behind).
        jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE").update();
        UUID woken = endpoint();
        UUID other = endpoint();
        due(woken, 3);
        due(other, 3);
        // Many idle endpoints, each of which a claim of all probes.
        IntStream.range(0, 500).forEach(i -> endpoint());

        long ofAll = claimBuffers(ClaimStore.CLAIM, "");
        long ofOne = claimBuffers(ClaimStore.CLAIM_OF, "'{" + woken + "}', ");
        List<Claim> claimed = claims.claim(
                ClaimStore.Scope.of(List.of(woken)),
                "claim-it/of",
                10,
                10,
                Duration.ofSeconds(60),
                List.of(),
                List.of());
        List<Claim> rest = claims.claim(
                ClaimStore.Scope.ALL, "claim-it/rest", 10, 10, Duration.ofSeconds(60), List.of(), List.of());

        assertThat(claimed).hasSize(3).allMatch(claim -> claim.endpoint().id().equals(woken));
        assertThat(rest)
                .as("the other endpoint's notifications stayed due")
                .hasSize(3)
                .allMatch(claim -> claim.endpoint().id().equals(other));
        assertThat(ofOne)
                .as("buffers of a claim of one endpoint among 500 idle ones, against %d for a claim of all", ofAll)
                .isLessThan(ofAll / 10);
    }

    @Test
    void aHandBackReleasesTheClaimDueAtItsTimeUnlessTheLeaseChangedHands() {
        UUID endpoint = endpoint();
        due(endpoint, 2);
        List<Claim> claimed = claims.claim(
                ClaimStore.Scope.ALL, "claim-it/hand-back", 2, 2, Duration.ofSeconds(60), List.of(), List.of());
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        Claim released = claimed.get(0);
        Claim reclaimed = claimed.get(1);
        jdbc.sql("UPDATE notifier_notification SET lease_owner = 'another-instance' WHERE id = ?")
                .param(reclaimed.notificationId())
                .update();

        claims.handBack(List.of(new ClaimStore.HandBack(released, later), new ClaimStore.HandBack(reclaimed, later)));

        assertThat(leaseAndDue(released.notificationId())).isEqualTo(new LeaseAndDue(null, later));
        assertThat(leaseAndDue(reclaimed.notificationId()).leaseOwner()).isEqualTo("another-instance");
    }

    private record LeaseAndDue(String leaseOwner, Instant dueAt) {}

    private static LeaseAndDue leaseAndDue(UUID notification) {
        return jdbc.sql("SELECT lease_owner, next_attempt_at FROM notifier_notification WHERE id = ?")
                .param(notification)
                .query((rs, n) ->
                        new LeaseAndDue(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .single();
    }

    /**
     * A server-prepared statement runs a generic plan after its first executions, where the skip list is a parameter,
     * not a constant. Bound as text and cast in the filter, it was parsed again for every endpoint row (600 ms per
     * claim with 500 of 2,000 endpoints skipped); the claim must hash it once.
     */
    @Test
    void hashesTheSkippedEndpointsOncePerClaimInAGenericPlan() throws SQLException {
        String skipped = IntStream.range(0, 50)
                .mapToObj(i -> UUID.randomUUID().toString())
                .collect(Collectors.joining(",", "'{", "}'"));
        StringBuilder plan = new StringBuilder();
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE claim_plan (uuid[], varchar[], int, int, int, text, numeric) AS "
                    + numbered(ClaimStore.CLAIM));
            try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE claim_plan (" + skipped
                    + ", '{shop-1,shop-2}', 20, 10, 10, 'claim-it/plan', 60)")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }

        assertThat(plan.toString()).contains("hashed SubPlan").doesNotContain("<> ALL");
        assertThat(plan.toString().split("hashed SubPlan", -1))
                .as("the skipped applications are hashed once too")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    /**
     * A claim's work must not grow with the number of due rows: it probes each endpoint once and reads its share of
     * the endpoint's oldest. PostgreSQL turned the probes ({@code EXISTS}) into a "hashed SubPlan" reading every due
     * row of every endpoint at each claim when there were many endpoints and its statistics predated the backlog
     * (20,000 due: 18 ms of a 32 ms claim in {@code ./courier bench notifier}).
     */
    @Test
    void aClaimReadsAsMuchAtTwentyThousandDueAsAtAHundred() throws SQLException {
        UUID endpoint = endpoint();
        // Many endpoints and statistics from before the backlog: what made PostgreSQL choose to hash.
        IntStream.range(0, 100).forEach(i -> endpoint());
        jdbc.sql("ANALYZE").update();
        due(endpoint, 100);
        long few = claimBuffers();
        due(endpoint, 20_000);
        long many = claimBuffers();

        assertThat(many)
                .as("buffers a claim of 10 read at 20,100 due against %d at 100", few)
                .isLessThan(few + few / 2 + 100);
    }

    /**
     * Delivered notifications must not be read again by every later claim. Notifications inserted in one transaction
     * share their due time; with B-tree deduplication their index entries were posting lists that a scan can mark
     * dead only whole, so each claim fetched every delivered row before the first pending one of each endpoint.
     */
    @Test
    void aClaimAfterManyDeliveriesOfOneBulkReadsAboutAsMuchAsTheFirst() throws SQLException {
        // Only this test's endpoints take part (the other tests leave due rows behind).
        jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE").update();
        List<UUID> endpoints = IntStream.range(0, 10).mapToObj(i -> endpoint()).toList();
        // One transaction, the endpoints' rows interleaved in the table as a fan-out writes them.
        jdbc.sql("INSERT INTO notifier_notification (id, endpoint_id, source, idempotency_key, event_type, body,"
                        + " status, next_attempt_at) SELECT gen_random_uuid(), e.id, 'test', gen_random_uuid()::text,"
                        + " 'test.event', repeat('x', 900), 'PENDING', now() - interval '1 second'"
                        + " FROM generate_series(1, 400) g CROSS JOIN unnest(?) AS e(id)")
                .param(new SqlArrayValue("uuid", endpoints.toArray()))
                .update();
        long fresh = claimBuffers();
        for (int round = 0; round < 300; round++) {
            List<Claim> claimed = claims.claim(
                    ClaimStore.Scope.ALL,
                    "claim-it/bulk-" + round,
                    10,
                    10,
                    Duration.ofSeconds(60),
                    List.of(),
                    List.of());
            assertThat(claimed).as("claim %d", round).isNotEmpty();
            claims.finish(claimed.stream().map(PostgresClaimStoreIT::delivered).toList());
        }
        long later = claimBuffers();
        // The other tests claim whatever is due: this test's 1,000 undelivered rows are left out of their claims.
        jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE WHERE id = ANY (?)")
                .param(new SqlArrayValue("uuid", endpoints.toArray()))
                .update();

        assertThat(later)
                .as("buffers of a claim after 3,000 of the 4,000 were delivered, against %d before", fresh)
                .isLessThan(fresh + fresh / 2);
    }

    /**
     * A claim of some endpoints runs its cached generic plan. PostgreSQL tries custom plans for a prepared statement's
     * first five runs and keeps them when they look cheaper: a custom plan for one endpoint looks much cheaper than
     * the generic plan (which expects ten), and in {@code ./courier bench notifier} it planned the claim anew at 7,719
     * of 13,391 runs, 8.3 s of planning against 5.2 s of running.
     */
    @Test
    void aClaimOfSomeEndpointsIsNotPlannedForEachRun() throws SQLException {
        UUID endpoint = endpoint();
        try (Connection connection = db.dataSource().getConnection()) {
            // One connection, whose server-side prepared statements pg_prepared_statements shows.
            SingleConnectionDataSource one = new SingleConnectionDataSource(connection, true);
            ClaimStore store = new ClaimStore(
                    JdbcClient.create(one), new TransactionTemplate(new DataSourceTransactionManager(one)));
            for (int i = 0; i < 12; i++) {
                store.claim(
                        ClaimStore.Scope.of(List.of(endpoint)),
                        "claim-it/plans",
                        10,
                        10,
                        Duration.ofSeconds(60),
                        List.of(),
                        List.of());
            }

            Map<String, Object> plans = JdbcClient.create(one)
                    .sql("SELECT sum(generic_plans) AS generic, sum(custom_plans) AS custom FROM pg_prepared_statements"
                            + " WHERE statement LIKE '%OFFSET 0) e LEFT JOIN%'")
                    .query()
                    .singleRow();
            assertThat(((Number) plans.get("generic")).longValue())
                    .as("generic plans run")
                    .isPositive();
            assertThat(((Number) plans.get("custom")).longValue())
                    .as("custom plans made")
                    .isZero();
        }
    }

    /**
     * A claim reads each endpoint's share of twice its limit, and no more than 2 rows of an endpoint when there are
     * more endpoints than that: every row read is fetched from the table and ranked, and all but the claimed are
     * dropped. With a floor of 4 rows, a claim of 74 at 100 endpoints read 400 rows ({@code ./courier bench notifier}).
     */
    @Test
    void aClaimAtAHundredEndpointsReadsTwoRowsOfEach() throws SQLException {
        jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE").update();
        List<UUID> endpoints = IntStream.range(0, 100).mapToObj(i -> endpoint()).toList();
        endpoints.forEach(endpoint -> due(endpoint, 10));

        String plan = claimPlan(74);
        jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE WHERE id = ANY (?)")
                .param(new SqlArrayValue("uuid", endpoints.toArray()))
                .update();

        Matcher read = RANKED.matcher(plan);
        assertThat(read.find()).as("the ranked rows in the plan:%n%s", plan).isTrue();
        assertThat(Integer.parseInt(read.group(1)))
                .as("rows a claim of 74 read and ranked at 100 endpoints with 10 due each")
                .isEqualTo(200);
    }

    /** The rows the claim ranks: every row its endpoints' picks read. */
    private static final Pattern RANKED = Pattern.compile("Subquery Scan on turns .*actual time=\\S+ rows=(\\d+)");

    private static ClaimStore.Finish delivered(Claim claim) {
        return new ClaimStore.Finish(
                claim,
                new ClaimStore.AttemptRecord("claim-it", Instant.now(), 1, 200, "", null, AttemptOutcome.ACKNOWLEDGED),
                NotificationStatus.DELIVERED,
                Instant.now());
    }

    private static final Pattern BUFFERS = Pattern.compile("Buffers: shared hit=(\\d+)(?: read=(\\d+))?");

    /** Buffers (hit and read) of one claim of 10, run by EXPLAIN ANALYZE in a transaction rolled back after. */
    private static long claimBuffers() throws SQLException {
        return claimBuffers(ClaimStore.CLAIM, "");
    }

    /** Buffers of one claim of 10 by {@code statement}, its own first parameters given ({@code "'{...}', "}). */
    private static long claimBuffers(String statement, String firstParameters) throws SQLException {
        String plan = claimPlan(statement, firstParameters, 10);
        Matcher root = BUFFERS.matcher(plan);
        assertThat(root.find()).as("buffers in the plan:%n%s", plan).isTrue();
        return Long.parseLong(root.group(1)) + (root.group(2) == null ? 0 : Long.parseLong(root.group(2)));
    }

    /** The plan of one claim of {@code limit}, run by EXPLAIN ANALYZE in a transaction rolled back after. */
    private static String claimPlan(int limit) throws SQLException {
        return claimPlan(ClaimStore.CLAIM, "", limit);
    }

    private static String claimPlan(String claim, String firstParameters, int limit) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                String types = (firstParameters.isEmpty() ? "" : "uuid[], ")
                        + "uuid[], varchar[], int, int, int, text, numeric";
                statement.execute("PREPARE claim_measured (" + types + ") AS " + numbered(claim));
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery(
                        "EXPLAIN (ANALYZE, BUFFERS) EXECUTE claim_measured (" + firstParameters + "'{}', '{}', "
                                + 2 * limit + ", " + limit + ", " + limit + ", 'claim-it/plan', 60)")) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                connection.rollback();
                // A prepared statement outlives the transaction, and the connection goes back to the pool.
                statement.execute("DEALLOCATE claim_measured");
                connection.commit();
            }
        }
    }

    /** The statement with PostgreSQL's numbered parameters ($1, $2, ...) in place of JDBC's {@code ?}. */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int parameter = 0;
        for (char c : sql.toCharArray()) {
            out.append(c == '?' ? "$" + ++parameter : String.valueOf(c));
        }
        return out.toString();
    }

    private static UUID endpoint() {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO notifier_endpoint (id, url, retry_profile, ack_matcher, timeout_ms, max_concurrency,"
                        + " rate_per_second) VALUES (?, 'http://127.0.0.1:9/', 'standard-webhooks', 'any-2xx', 1000,"
                        + " 10, 100)")
                .param(id)
                .update();
        return id;
    }

    private static void due(UUID endpoint, int count) {
        jdbc.sql("INSERT INTO notifier_notification (id, endpoint_id, source, idempotency_key, event_type, body,"
                        + " status, next_attempt_at) SELECT gen_random_uuid(), ?, 'test', gen_random_uuid()::text,"
                        + " 'test.event', '{}', 'PENDING', now() - interval '1 second' FROM generate_series(1, ?)")
                .params(endpoint, count)
                .update();
    }
}
