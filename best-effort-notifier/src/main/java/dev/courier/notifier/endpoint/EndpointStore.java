package dev.courier.notifier.endpoint;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.courier.notifier.schedule.RetryProfile;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.transaction.support.TransactionTemplate;

/** Endpoints and their signing secrets in PostgreSQL. */
public final class EndpointStore {

    /** The endpoint columns, table alias {@code e}. */
    public static final String COLUMNS = "e.id, e.application_id, e.url, e.description, e.retry_profile,"
            + " e.ack_matcher, e.timeout_ms, e.max_concurrency, e.rate_per_second, e.headers, e.enabled,"
            + " e.disabled_reason, e.created_at, e.updated_at, e.event_types, e.channels, e.ordering,"
            + " e.presets_by_event_type";

    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KeyOrder keyOrder;

    public EndpointStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keyOrder = new KeyOrder(jdbc);
    }

    /**
     * Stores a new endpoint with its first signing secret.
     *
     * @param applicationId the application that owns it (which must exist), or null for one addressed on its own
     */
    public Endpoint create(String applicationId, EndpointSettings settings, String secret) {
        UUID id = IDS.generate();
        return transactions.execute(status -> {
            jdbc.sql("INSERT INTO notifier_endpoint (id, application_id, url, description, retry_profile,"
                            + " ack_matcher, timeout_ms, max_concurrency, rate_per_second, headers, enabled,"
                            + " event_types, channels, ordering, presets_by_event_type)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, CAST(? AS jsonb))")
                    .params(
                            id,
                            applicationId,
                            settings.url().toString(),
                            settings.description(),
                            settings.retryProfile().spec(),
                            settings.ackMatcher().spec(),
                            (int) settings.timeout().toMillis(),
                            settings.maxConcurrency(),
                            settings.ratePerSecond(),
                            UserHeaders.toJson(settings.headers()),
                            settings.enabled(),
                            array(settings.subscription().eventTypes()),
                            array(settings.subscription().channels()),
                            settings.ordering().column(),
                            presetsJson(settings))
                    .update();
            jdbc.sql("INSERT INTO notifier_endpoint_secret (endpoint_id, secret) VALUES (?, ?)")
                    .params(id, secret)
                    .update();
            return find(id).orElseThrow();
        });
    }

    /**
     * Changes the endpoint's settings. When its ordering changes, its held deliveries follow in the same transaction
     * ({@link KeyOrder#reorder}).
     */
    public Endpoint update(UUID id, EndpointSettings settings) {
        return transactions.execute(status -> {
            Ordering before = jdbc.sql("SELECT ordering FROM notifier_endpoint WHERE id = ? FOR UPDATE")
                    .param(id)
                    .query((rs, n) -> Ordering.ofColumn(rs.getString(1)))
                    .optional()
                    .orElse(Ordering.NONE);
            write(id, settings);
            if (before != settings.ordering()) {
                keyOrder.reorder(id, settings.ordering());
            }
            return find(id).orElseThrow();
        });
    }

    private void write(UUID id, EndpointSettings settings) {
        jdbc.sql("UPDATE notifier_endpoint SET url = ?, description = ?, retry_profile = ?, ack_matcher = ?,"
                        + " timeout_ms = ?, max_concurrency = ?, rate_per_second = ?, headers = ?::jsonb, enabled = ?,"
                        + " disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END, event_types = ?,"
                        + " channels = ?, ordering = ?, presets_by_event_type = CAST(? AS jsonb), updated_at = now()"
                        + " WHERE id = ?")
                .params(
                        settings.url().toString(),
                        settings.description(),
                        settings.retryProfile().spec(),
                        settings.ackMatcher().spec(),
                        (int) settings.timeout().toMillis(),
                        settings.maxConcurrency(),
                        settings.ratePerSecond(),
                        UserHeaders.toJson(settings.headers()),
                        settings.enabled(),
                        settings.enabled(),
                        array(settings.subscription().eventTypes()),
                        array(settings.subscription().channels()),
                        settings.ordering().column(),
                        presetsJson(settings),
                        id)
                .update();
    }

    public Optional<Endpoint> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_endpoint e WHERE e.id = ?")
                .param(id)
                .query((rs, n) -> read(rs))
                .optional();
    }

    public List<Endpoint> list(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_endpoint e ORDER BY e.created_at, e.id LIMIT ?")
                .param(limit)
                .query((rs, n) -> read(rs))
                .list();
    }

    /** The application's endpoints, oldest first. */
    public List<Endpoint> list(String applicationId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_endpoint e WHERE e.application_id = ?"
                        + " ORDER BY e.created_at, e.id LIMIT ?")
                .params(applicationId, limit)
                .query((rs, n) -> read(rs))
                .list();
    }

    /** The enabled endpoints of the application whose subscription takes a message of that type and channels. */
    public List<Endpoint> subscribers(String applicationId, String eventType, List<String> channels) {
        return jdbc
                .sql("SELECT " + COLUMNS + " FROM notifier_endpoint e WHERE e.application_id = ? AND e.enabled"
                        + " ORDER BY e.created_at, e.id")
                .param(applicationId)
                .query((rs, n) -> read(rs))
                .stream()
                .filter(endpoint -> endpoint.subscription().matches(eventType, channels))
                .toList();
    }

    /**
     * The endpoint's current run of failed attempts.
     *
     * @param failingSince when the run began; null when the last attempt succeeded
     */
    public record FailureRun(int consecutiveFailures, Instant failingSince) {}

    /** Each endpoint's run of failed attempts (an endpoint that does not exist: absent). */
    public Map<UUID, FailureRun> failureRuns(List<UUID> ids) {
        Map<UUID, FailureRun> runs = new HashMap<>();
        jdbc.sql("SELECT id, consecutive_failures, failing_since FROM notifier_endpoint WHERE id = ANY(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(rs -> {
                    Timestamp since = rs.getTimestamp(3);
                    runs.put(
                            rs.getObject(1, UUID.class),
                            new FailureRun(rs.getInt(2), since == null ? null : since.toInstant()));
                });
        return runs;
    }

    /** Disables an endpoint and says why, e.g. after it answered {@code 410 Gone}. */
    public void disable(UUID id, String reason) {
        jdbc.sql("UPDATE notifier_endpoint SET enabled = FALSE, disabled_reason = ?, updated_at = now()"
                        + " WHERE id = ?")
                .params(reason.length() > 512 ? reason.substring(0, 512) : reason, id)
                .update();
    }

    /**
     * Adds a secret and lets the current ones sign until {@code overlap} has passed, so that receivers can switch
     * to the new secret without rejecting a single notification.
     */
    public void rotate(UUID id, String secret, Duration overlap) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE notifier_endpoint_secret SET not_after = ? WHERE endpoint_id = ?"
                            + " AND (not_after IS NULL OR not_after > ?)")
                    .params(
                            Timestamp.from(Instant.now().plus(overlap)),
                            id,
                            Timestamp.from(Instant.now().plus(overlap)))
                    .update();
            jdbc.sql("INSERT INTO notifier_endpoint_secret (endpoint_id, secret) VALUES (?, ?)")
                    .params(id, secret)
                    .update();
        });
    }

    /**
     * The secrets that sign now of each of {@code ids}, in one query, newest first; an endpoint without one maps to
     * an empty list.
     */
    public Map<UUID, List<String>> signingSecrets(Collection<UUID> ids) {
        Map<UUID, List<String>> secrets = new HashMap<>();
        ids.forEach(id -> secrets.put(id, new ArrayList<>()));
        jdbc.sql("SELECT endpoint_id, secret FROM notifier_endpoint_secret WHERE endpoint_id IN (SELECT"
                        + " unnest(CAST(? AS uuid[]))) AND (not_after IS NULL OR not_after > now())"
                        + " ORDER BY endpoint_id, id DESC")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(rs -> {
                    secrets.get(rs.getObject("endpoint_id", UUID.class)).add(rs.getString("secret"));
                });
        return secrets;
    }

    /** The secrets that sign now, newest first. */
    public List<String> signingSecrets(UUID id) {
        return signingSecrets(List.of(id)).get(id);
    }

    /** Reads an endpoint from the columns of {@link #COLUMNS}, also in queries that join other tables. */
    public static Endpoint read(ResultSet rs) throws SQLException {
        EndpointSettings settings = new EndpointSettings(
                URI.create(rs.getString("url")),
                rs.getString("description"),
                RetryProfile.parse(rs.getString("retry_profile")),
                AckMatcher.parse(rs.getString("ack_matcher")),
                Duration.ofMillis(rs.getInt("timeout_ms")),
                rs.getInt("max_concurrency"),
                rs.getInt("rate_per_second"),
                UserHeaders.fromJson(rs.getString("headers")),
                rs.getBoolean("enabled"),
                new Subscription(strings(rs.getArray("event_types")), strings(rs.getArray("channels"))),
                Ordering.ofColumn(rs.getString("ordering")),
                presets(rs.getString("presets_by_event_type")));
        return new Endpoint(
                rs.getObject("id", UUID.class),
                rs.getString("application_id"),
                settings,
                rs.getString("disabled_reason"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String presetsJson(EndpointSettings settings) {
        Map<String, String> names = new TreeMap<>();
        settings.presetsByEventType().forEach((pattern, preset) -> names.put(pattern, preset.spec()));
        return UserHeaders.toJson(names);
    }

    private static Map<String, Preset> presets(String json) {
        Map<String, Preset> presets = new TreeMap<>();
        UserHeaders.fromJson(json).forEach((pattern, name) -> presets.put(pattern, Preset.parse(name)));
        return Map.copyOf(presets);
    }

    private static SqlArrayValue array(List<String> values) {
        return values.isEmpty() ? null : new SqlArrayValue("varchar", values.toArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
