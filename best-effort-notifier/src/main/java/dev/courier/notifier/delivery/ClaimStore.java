package dev.courier.notifier.delivery;

import dev.courier.notifier.StorableText;
import dev.courier.notifier.application.ApplicationLimits;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.endpoint.KeyOrder;
import dev.courier.notifier.endpoint.UserHeaders;
import dev.courier.notifier.notification.AttemptOutcome;
import dev.courier.notifier.notification.NotificationStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims due notifications and records what their attempts did. Safe with any number of instances: a claim locks
 * rows with {@code FOR UPDATE SKIP LOCKED} and moves {@code next_attempt_at} forward by the lease, so no other
 * instance sees them as due until the lease has run out.
 */
public final class ClaimStore {

    private static final Logger log = LoggerFactory.getLogger(ClaimStore.class);

    /**
     * The claim statement; its parameters: the endpoints to skip ({@code uuid[]}), the applications to skip ({@code
     * varchar[]}), twice the limit, the retry limit, the limit, the lease token and the lease in seconds. See {@link
     * #claim}.
     */
    static final String CLAIM = claimStatement("notifier_endpoint");

    /**
     * The claim limited to some endpoints: the same statement, its first parameter the endpoints ({@code uuid[]}).
     * The subquery is fenced ({@code OFFSET 0}) so that the endpoints are found by key before any probe runs: its cost
     * follows the endpoints named, not the endpoints enabled.
     */
    static final String CLAIM_OF =
            claimStatement("(SELECT * FROM notifier_endpoint WHERE id IN (SELECT unnest(CAST(? AS uuid[]))) OFFSET 0)");

    private static String claimStatement(String endpoints) {
        return "WITH active AS (SELECT e.id, e.max_concurrency,"
                // The tenant an endpoint's deliveries count against: its application, or the endpoint itself.
                + " COALESCE(e.application_id, CAST(e.id AS varchar)) AS tenant,"
                + " COALESCE(a.max_concurrency, e.max_concurrency) AS tenant_concurrency"
                + " FROM " + endpoints + " e LEFT JOIN notifier_application a ON a.id = e.application_id"
                // NOT IN over a subquery hashes the skipped endpoints once per claim (a "hashed SubPlan";
                // ids are never null). e.id <> ALL (CAST(? AS uuid[])), with the list bound as text, parsed
                // the list again for every endpoint row: 4 ms per claim with 20 open circuits among 221
                // endpoints, 600 ms with 500 among 2,000; NOT EXISTS compared each row with the whole list.
                + " WHERE e.enabled AND e.id NOT IN (SELECT unnest(CAST(? AS uuid[])))"
                + " AND (e.application_id IS NULL"
                + " OR e.application_id NOT IN (SELECT unnest(CAST(? AS varchar[]))))"
                // One probe per endpoint and lane: the first entry of the endpoint's range of the lane's index.
                // OFFSET 0 keeps PostgreSQL from turning an EXISTS into a "hashed SubPlan" that reads every due row
                // of every endpoint at each claim, which it chose whenever its statistics predated a backlog
                // (20,000 due: 18 ms of a 32 ms claim in ./courier bench notifier).
                + " AND (EXISTS (SELECT 1 FROM notifier_notification n WHERE n.endpoint_id = e.id"
                + " AND n.status = 'PENDING' AND n.round_attempts = 0 AND n.next_attempt_at <= now() OFFSET 0)"
                + " OR EXISTS (SELECT 1 FROM notifier_notification n WHERE n.endpoint_id = e.id"
                + " AND n.status = 'PENDING' AND n.round_attempts > 0 AND n.next_attempt_at <= now() OFFSET 0))),"
                // Each endpoint with due work reads its fair share of twice the claim (at least 2 rows, so
                // that an endpoint with little due work leaves room the others use in the ranking). A floor
                // of 4 read 400 rows for a claim of 74 at 100 endpoints, each fetched, ranked and dropped.
                + " share AS (SELECT GREATEST(2, CEIL(CAST(? AS numeric) / GREATEST(count(*), 1)))"
                + " AS rows FROM active),"
                // Two lanes, each read from its own index range: first attempts of a round (lane 0) and
                // retries (lane 1). An endpoint's overdue retries never hide its fresh notifications.
                + " picked AS (SELECT d.id, d.endpoint_id, d.next_attempt_at, d.lane, a.tenant, a.tenant_concurrency"
                + " FROM active a CROSS JOIN share"
                + " CROSS JOIN LATERAL ((SELECT n.id, n.endpoint_id, n.next_attempt_at, 0 AS lane"
                + " FROM notifier_notification n WHERE n.endpoint_id = a.id AND n.status = 'PENDING'"
                + " AND n.round_attempts = 0 AND n.next_attempt_at <= now() ORDER BY n.next_attempt_at"
                + " LIMIT LEAST(a.max_concurrency, share.rows))"
                + " UNION ALL (SELECT n.id, n.endpoint_id, n.next_attempt_at, 1 AS lane"
                + " FROM notifier_notification n WHERE n.endpoint_id = a.id AND n.status = 'PENDING'"
                + " AND n.round_attempts > 0 AND n.next_attempt_at <= now() ORDER BY n.next_attempt_at"
                + " LIMIT LEAST(a.max_concurrency, share.rows))) d),"
                // Endpoints take turns (turn, an endpoint's first attempts before its retries), the endpoints
                // of one application together take no more than its max concurrency (tenant_turn), and
                // retries no more than the room left for them (lane_turn); first attempts come first.
                + " turns AS (SELECT p.id, p.next_attempt_at, p.lane, p.tenant, p.tenant_concurrency,"
                + " row_number() OVER (PARTITION BY p.endpoint_id ORDER BY p.lane, p.next_attempt_at) AS turn"
                + " FROM picked p),"
                + " ordered AS MATERIALIZED (SELECT t.id, t.next_attempt_at, t.turn FROM (SELECT turns.*,"
                + " row_number() OVER (PARTITION BY turns.tenant ORDER BY turns.turn, turns.next_attempt_at)"
                + " AS tenant_turn, row_number() OVER (PARTITION BY turns.lane ORDER BY turns.turn,"
                + " turns.next_attempt_at) AS lane_turn FROM turns) t WHERE t.tenant_turn <= t.tenant_concurrency"
                + " AND (t.lane = 0 OR t.lane_turn <= ?) ORDER BY t.lane, t.turn, t.next_attempt_at),"
                // The lock looks a row up by key only (OFFSET 0 keeps the checks out of the lookup: with
                // them inside, stale statistics made PostgreSQL scan an index per row); the checks run on
                // the locked, latest version, so a row another instance claimed meanwhile is left out.
                + " due AS (SELECT l.id FROM ordered o CROSS JOIN LATERAL (SELECT n.id, n.status,"
                + " n.next_attempt_at FROM notifier_notification n WHERE n.id = o.id OFFSET 0"
                + " FOR UPDATE SKIP LOCKED) l WHERE l.status = 'PENDING' AND l.next_attempt_at <= now()"
                + " LIMIT ?)"
                + " UPDATE notifier_notification n SET lease_owner = ?,"
                + " next_attempt_at = now() + make_interval(secs => ?)"
                // ANY(ARRAY(...)) makes the update find its rows by primary key whatever the planner
                // believes about the CTE (right after a bulk insert it may believe nothing is due).
                + " FROM notifier_endpoint e LEFT JOIN notifier_application a ON a.id = e.application_id"
                + " WHERE n.id = ANY (ARRAY(SELECT id FROM due))"
                + " AND e.id = n.endpoint_id"
                + " RETURNING n.id AS notification_id, COALESCE(n.message_id, n.id) AS webhook_id, n.event_type,"
                // A delivery of an application message reads the body the message stores once for all its deliveries.
                + " COALESCE(n.body, (SELECT m.body FROM notifier_message m WHERE m.id = n.message_id)) AS body,"
                + " n.headers AS notification_headers,"
                + " n.traceparent, n.tracestate, n.attempts, n.round_attempts, n.created_at AS notification_created_at,"
                + " n.ordering_key, a.rate_per_second AS application_rate,"
                + " a.max_concurrency AS application_concurrency, "
                + EndpointStore.COLUMNS;
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KeyOrder keyOrder;
    private final EndpointWatch watch;

    public ClaimStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this(jdbc, transactions, EndpointWatch.NONE);
    }

    public ClaimStore(JdbcClient jdbc, TransactionTemplate transactions, EndpointWatch watch) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keyOrder = new KeyOrder(jdbc);
        this.watch = watch;
    }

    /**
     * What the attempt writer watches on endpoints as it records attempts: each endpoint's run of failed attempts
     * (how many in a row, since when).
     *
     * @param failingAfter a run reaching this many failed attempts in a row publishes {@link EndpointFailing}
     * @param autoDisableAfter an endpoint failing for longer is disabled ({@link EndpointDisabled}); zero: never
     * @param events receives those events once their transaction has committed
     */
    public record EndpointWatch(int failingAfter, Duration autoDisableAfter, Consumer<Object> events) {
        public static final EndpointWatch NONE = new EndpointWatch(Integer.MAX_VALUE, Duration.ZERO, event -> {});
    }

    /**
     * Claims up to {@code limit} due notifications of enabled endpoints, of which at most {@code retryLimit} retries
     * (first attempts of a round come first: a fresh notification never waits behind retries), skipping those of {@code skippedEndpoints}
     * (saturated or with an open circuit here) and every endpoint of {@code skippedApplications} (at their share
     * here). Endpoints take turns: each endpoint's oldest due notification comes before any endpoint's second, no
     * endpoint gets more than its max concurrency and the endpoints of an application together no more than its
     * max concurrency, so an endpoint with a large backlog (a dead one retrying) or an application with many
     * endpoints cannot fill a claim while others wait.
     *
     * <p>Each endpoint's due rows are read from its own index range, oldest first, and only as many as it could take
     * ({@code notifier_notification_endpoint_due}): the cost of a claim grows with the number of enabled endpoints,
     * not with the backlog. An earlier form read the oldest due rows of all endpoints together and ranked them;
     * PostgreSQL fetched and sorted every due row for that, 11 ms per claim at 10,000 due and growing with the
     * backlog. Only the chosen rows are locked, one primary-key probe each, in turn order, until {@code limit} are
     * held; rows another instance holds are skipped. Every step finds its rows through an index whatever the table's
     * statistics say: right after a bulk insert into a table last analyzed while empty, PostgreSQL believes it
     * empty, and any other plan was a full scan per row (265 ms per claim at 10,000 due, measured).
     */
    public List<Claim> claim(
            Scope scope,
            String leaseToken,
            int limit,
            int retryLimit,
            Duration lease,
            Collection<UUID> skippedEndpoints,
            Collection<String> skippedApplications) {
        Function<JdbcClient.StatementSpec, List<Claim>> run = statement -> statement
                .params(
                        new SqlArrayValue("uuid", skippedEndpoints.toArray()),
                        new SqlArrayValue("varchar", skippedApplications.toArray()),
                        limit * 2,
                        retryLimit,
                        limit,
                        leaseToken,
                        lease.toMillis() / 1000.0)
                .query((rs, n) -> claimed(rs, leaseToken))
                .list();
        if (scope.endpoints() == null) {
            return run.apply(jdbc.sql(CLAIM));
        }
        return transactions.execute(tx -> {
            jdbc.sql(GENERIC_PLAN).update();
            return run.apply(jdbc.sql(CLAIM_OF)
                    .param(new SqlArrayValue("uuid", scope.endpoints().toArray())));
        });
    }

    /**
     * The endpoints a claim reads: every enabled one ({@link #ALL}), or only some ({@link #of}), for a claim woken
     * because just these got new work since the last claim of all. A claim of some probes only them, where a claim of
     * all probes every enabled endpoint (thousands, for a platform's worth of merchants, at every notification
     * accepted).
     *
     * @param endpoints the endpoints, or null for all
     */
    public record Scope(List<UUID> endpoints) {

        public static final Scope ALL = new Scope(null);

        public static Scope of(Collection<UUID> endpoints) {
            return new Scope(List.copyOf(endpoints));
        }
    }

    /**
     * Run before {@link #CLAIM_OF} in its transaction: its cached generic plan, not one planned for each run's
     * parameters. A custom plan for one endpoint looks much cheaper than the generic plan (which expects ten), so
     * PostgreSQL kept planning the statement anew: 7,719 times in 13,391 runs of {@code ./courier bench notifier}'s
     * latency section, 8.3 s of planning against 5.2 s of running.
     */
    static final String GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan";

    /** A claimed row of the claim statement, leased under {@code leaseToken}. */
    private static Claim claimed(ResultSet rs, String leaseToken) throws SQLException {
        return new Claim(
                rs.getObject("notification_id", UUID.class),
                rs.getObject("webhook_id", UUID.class),
                EndpointStore.read(rs),
                rs.getString("event_type"),
                rs.getString("body"),
                UserHeaders.fromJson(rs.getString("notification_headers")),
                rs.getString("traceparent"),
                rs.getString("tracestate"),
                rs.getInt("attempts"),
                rs.getInt("round_attempts"),
                rs.getTimestamp("notification_created_at").toInstant(),
                leaseToken,
                rs.getString("ordering_key"),
                rs.getString("application_id") == null
                        ? null
                        : new ApplicationLimits(
                                rs.getString("application_id"),
                                rs.getInt("application_rate"),
                                rs.getInt("application_concurrency")));
    }

    /** A claim to give back unsent, due again at {@code dueAt} (its endpoint was saturated or its circuit open). */
    public record HandBack(Claim claim, Instant dueAt) {}

    /** Gives claims back without an attempt, in one statement. */
    public void handBack(List<HandBack> handBacks) {
        if (handBacks.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE notifier_notification n SET lease_owner = NULL, next_attempt_at = v.due"
                        + " FROM unnest(?, ?, ?) AS v(id, due, token)"
                        + " WHERE n.id = v.id AND n.lease_owner = v.token")
                .params(
                        column("uuid", handBacks, h -> h.claim().notificationId()),
                        column("timestamptz", handBacks, h -> h.dueAt().toString()),
                        column("text", handBacks, h -> h.claim().leaseToken()))
                .update();
    }

    /**
     * What one attempt did, as recorded. The excerpt and the error come from the receiver (its body, or a failure
     * naming what it sent): they are made storable and cut to their columns here, so that no answer can make its
     * own attempt unrecordable and its notification be sent again forever.
     */
    public record AttemptRecord(
            String instance,
            Instant startedAt,
            long durationMs,
            Integer statusCode,
            String responseExcerpt,
            String error,
            AttemptOutcome outcome) {

        /** The size of the {@code response_excerpt}, {@code error} and {@code last_error} columns. */
        public static final int TEXT_CHARS = 1024;

        public AttemptRecord {
            responseExcerpt = StorableText.sanitize(responseExcerpt, TEXT_CHARS);
            error = StorableText.sanitize(error, TEXT_CHARS);
        }
    }

    /** An attempt's record and the notification state it leads to. */
    public record Finish(Claim claim, AttemptRecord attempt, NotificationStatus status, Instant nextAttemptAt) {}

    /**
     * Records the attempts and the notifications' new states in one transaction, two statements for the whole batch.
     * Every attempt is recorded (it was sent); a state changes only while the claim's lease token is still in the row
     * and the notification is still pending (not cancelled, not reclaimed after a lost lease).
     *
     * @return the notifications whose state changed
     */
    public Set<UUID> finish(List<Finish> finishes) {
        if (finishes.isEmpty()) {
            return Set.of();
        }
        List<KeyOrder.Key> keys = finishes.stream()
                .filter(f -> f.claim().orderingKey() != null)
                .map(f -> new KeyOrder.Key(f.claim().endpoint().id(), f.claim().orderingKey()))
                .distinct()
                .toList();
        Set<UUID> changed = transactions.execute(tx -> {
            keyOrder.lock(keys);
            jdbc.sql("INSERT INTO notifier_attempt (notification_id, number, instance, started_at, duration_ms,"
                            + " status_code, response_excerpt, error, outcome)"
                            + " SELECT * FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            column("uuid", finishes, f -> f.claim().notificationId()),
                            column("int4", finishes, f -> f.claim().attemptsMade() + 1),
                            column("text", finishes, f -> f.attempt().instance()),
                            column(
                                    "timestamptz",
                                    finishes,
                                    f -> f.attempt().startedAt().toString()),
                            column("int4", finishes, f -> (int)
                                    Math.min(Integer.MAX_VALUE, f.attempt().durationMs())),
                            column("int4", finishes, f -> f.attempt().statusCode()),
                            column("text", finishes, f -> f.attempt().responseExcerpt()),
                            column("text", finishes, f -> truncate(f.attempt().error())),
                            column("text", finishes, f -> f.attempt().outcome().name()))
                    .update();
            Set<UUID> updated = new HashSet<>(jdbc.sql("UPDATE notifier_notification n SET status = v.status,"
                            + " attempts = n.attempts + 1, round_attempts = n.round_attempts + 1,"
                            + " next_attempt_at = v.next_attempt_at, lease_owner = NULL,"
                            + " last_status_code = v.status_code, last_error = v.error, updated_at = now(),"
                            + " finished_at = CASE WHEN v.status = 'PENDING' THEN NULL ELSE now() END"
                            + " FROM unnest(?, ?, ?, ?, ?, ?, ?) AS v(id, token, was, status, next_attempt_at,"
                            + " status_code, error)"
                            // "Still pending" compares with a value of the batch, not a constant: a constant made
                            // the partial index on pending rows eligible, and with stale statistics PostgreSQL
                            // scanned all of it per batch instead of looking the rows up by key.
                            + " WHERE n.id = v.id AND n.lease_owner = v.token AND n.status = v.was"
                            + " RETURNING n.id")
                    .params(
                            column("uuid", finishes, f -> f.claim().notificationId()),
                            column("text", finishes, f -> f.claim().leaseToken()),
                            column("text", finishes, f -> NotificationStatus.PENDING.name()),
                            column("text", finishes, f -> f.status().name()),
                            column(
                                    "timestamptz",
                                    finishes,
                                    f -> f.nextAttemptAt().toString()),
                            column("int4", finishes, f -> f.attempt().statusCode()),
                            column("text", finishes, f -> truncate(f.attempt().error())))
                    .query(UUID.class)
                    .list());
            // Deliveries that finished let the next of their key go (on an ordered endpoint).
            keyOrder.settle(finishes.stream()
                    .filter(f -> f.claim().orderingKey() != null
                            && f.status() != NotificationStatus.PENDING
                            && updated.contains(f.claim().notificationId()))
                    .map(f -> new KeyOrder.Key(
                            f.claim().endpoint().id(), f.claim().orderingKey()))
                    .distinct()
                    .toList());
            return updated;
        });
        // Apart, after the attempts are safe: a fault in watching endpoints must never cost a recorded attempt.
        try {
            List<Object> events = transactions.execute(tx -> watchFailureRuns(finishes));
            if (events != null) {
                events.forEach(watch.events());
            }
        } catch (RuntimeException e) {
            log.warn("Failure runs of the endpoints of {} attempts not updated: {}", finishes.size(), e.toString());
        }
        return changed == null ? Set.of() : changed;
    }

    /**
     * One endpoint's attempts in a batch: whether one succeeded (the run restarts), the failures after the last
     * success, and when the first of those started.
     */
    private static final class Run {
        boolean restart;
        int failures;
        Instant since;
    }

    /**
     * Carries each endpoint's run of failures on with the batch's attempts (a success ends it; a healthy endpoint's
     * row is not written), and returns the events it leads to: a run reaching {@code failingAfter}, an endpoint
     * failing for longer than {@code autoDisableAfter}, which is disabled here with the reason on it.
     */
    private List<Object> watchFailureRuns(List<Finish> finishes) {
        Map<UUID, Run> runs = new LinkedHashMap<>();
        for (Finish finish : finishes) {
            AttemptOutcome outcome = finish.attempt().outcome();
            if (outcome == AttemptOutcome.GONE) {
                continue;
            }
            Run run = runs.computeIfAbsent(finish.claim().endpoint().id(), id -> new Run());
            if (outcome == AttemptOutcome.ACKNOWLEDGED) {
                run.restart = true;
                run.failures = 0;
                run.since = null;
            } else {
                run.since = run.failures == 0 ? finish.attempt().startedAt() : run.since;
                run.failures++;
            }
        }
        List<Map.Entry<UUID, Run>> rows = List.copyOf(runs.entrySet());
        List<Object> events = new ArrayList<>();
        List<UUID> failing = new ArrayList<>();
        jdbc.sql("UPDATE notifier_endpoint e SET consecutive_failures = CASE WHEN v.restart THEN v.failures"
                        + " ELSE e.consecutive_failures + v.failures END,"
                        + " failing_since = CASE WHEN v.failures = 0 THEN NULL"
                        + " WHEN v.restart OR e.failing_since IS NULL THEN v.since ELSE e.failing_since END"
                        + " FROM unnest(?, ?, ?, ?) AS v(id, restart, failures, since) WHERE e.id = v.id"
                        + " AND (v.failures > 0 OR e.consecutive_failures <> 0 OR e.failing_since IS NOT NULL)"
                        + " RETURNING e.id, e.application_id, e.consecutive_failures, e.failing_since,"
                        + " CASE WHEN v.restart THEN 0 ELSE e.consecutive_failures - v.failures END AS previous")
                .params(
                        column("uuid", rows, Map.Entry::getKey),
                        column("bool", rows, row -> row.getValue().restart),
                        column("int4", rows, row -> row.getValue().failures),
                        column(
                                "timestamptz",
                                rows,
                                row -> row.getValue().since == null
                                        ? null
                                        : row.getValue().since.toString()))
                .query(rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    int now = rs.getInt("consecutive_failures");
                    if (now > 0) {
                        failing.add(id);
                    }
                    if (rs.getInt("previous") < watch.failingAfter() && now >= watch.failingAfter()) {
                        events.add(new EndpointFailing(
                                id,
                                rs.getString("application_id"),
                                now,
                                rs.getTimestamp("failing_since").toInstant()));
                    }
                });
        if (!failing.isEmpty() && watch.autoDisableAfter().isPositive()) {
            jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE, updated_at = now(), disabled_reason ="
                            + " 'failing since ' || CAST(failing_since AS text) || ' (' || consecutive_failures"
                            + " || ' failed attempts in a row), longer than ' || ? || ': disabled automatically'"
                            + " WHERE id = ANY (?) AND enabled AND failing_since <= now() - make_interval(secs => ?)"
                            + " RETURNING id, application_id, disabled_reason")
                    .params(
                            watch.autoDisableAfter().toString(),
                            new SqlArrayValue("uuid", failing.toArray()),
                            watch.autoDisableAfter().toMillis() / 1000.0)
                    .query(rs -> {
                        events.add(new EndpointDisabled(
                                rs.getObject("id", UUID.class),
                                rs.getString("application_id"),
                                rs.getString("disabled_reason")));
                    });
        }
        return events;
    }

    /** One column of a batch, bound as a typed SQL array for {@code unnest} (instants as ISO text, parsed by the server). */
    private static <T> SqlArrayValue column(String type, List<T> rows, Function<T, Object> value) {
        return new SqlArrayValue(type, rows.stream().map(value).toArray());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
    }
}
