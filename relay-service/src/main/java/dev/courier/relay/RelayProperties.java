package dev.courier.relay;

import static dev.courier.outbox.autoconfigure.SettingsValidation.check;
import static dev.courier.outbox.autoconfigure.SettingsValidation.checkSecret;
import static dev.courier.outbox.autoconfigure.SettingsValidation.require;

import dev.courier.outbox.Durations;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.SqlIdentifiers;
import dev.courier.outbox.schema.OutboxTable;
import dev.courier.security.BearerTokenSecurity;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of the relay, prefix {@code courier.relay}. Validated when bound: bad values fail the start-up, every one
 * of them reported at once against its property. The database is Spring Boot's {@code spring.datasource.*} and the Kafka client
 * Spring Boot's {@code spring.kafka.*}; see {@code RelayEnvironment} for the keys of 0.1.
 *
 * @param mode how rows are read: {@code polling} (default) or {@code cdc} (Debezium reading PostgreSQL's WAL)
 * @param memberId this instance's name in the lease table (a random incarnation tag is appended per process start);
 *     default host name and pid
 * @param outbox the outbox table and how writers partition it
 * @param kafka which topics to publish to
 * @param lease partition leases
 * @param poll fetching
 * @param failure outage handling and poison messages
 * @param admin the admin REST API
 * @param cdc CDC mode
 * @param tracing which messages' publishes are observed (spans and timers)
 */
@ConfigurationProperties("courier.relay")
public record RelayProperties(
        @DefaultValue("polling") Mode mode,
        String memberId,
        @DefaultValue Outbox outbox,
        @DefaultValue Kafka kafka,
        @DefaultValue Lease lease,
        @DefaultValue Poll poll,
        @DefaultValue Failure failure,
        @DefaultValue Admin admin,
        @DefaultValue Cdc cdc,
        @DefaultValue Tracing tracing)
        implements Validator {

    /** The relay's headers besides the message id (whose name is {@code kafka.id-header}). */
    static final Set<String> RELAY_HEADERS =
            Set.of(OutboxTable.TYPE, OutboxTable.AGGREGATE_TYPE, OutboxTable.CREATED_AT);

    /** Longest member id: the lease owner column holds 128 characters, with room for the incarnation tag. */
    public static final int MEMBER_ID_MAX = 100;

    @Override
    public boolean supports(Class<?> type) {
        return RelayProperties.class.isAssignableFrom(type);
    }

    /** Every bad value at once, each against its property (Spring Boot calls this once the record is bound). */
    @Override
    public void validate(Object target, Errors errors) {
        RelayProperties settings = (RelayProperties) target;
        String member = settings.memberId();
        require(
                errors,
                member == null || (!member.isBlank() && member.length() <= MEMBER_ID_MAX && !member.contains("#")),
                "member-id",
                "courier.relay.member-id must be 1 to " + MEMBER_ID_MAX + " characters without '#', was '" + member
                        + "'");
        settings.outbox().validate(errors);
        String idHeader = settings.kafka().idHeader();
        require(
                errors,
                idHeader != null
                        && !idHeader.isBlank()
                        && idHeader.length() <= 255
                        && !RELAY_HEADERS.contains(idHeader),
                "kafka.id-header",
                "courier.relay.kafka.id-header must be 1 to 255 characters and none of " + RELAY_HEADERS + ", was '"
                        + idHeader + "'");
        settings.lease().validate(errors);
        settings.poll().validate(errors);
        settings.failure().validate(errors);
        settings.cdc().validate(errors);
        checkSecret(
                errors,
                () -> BearerTokenSecurity.requireStrongToken(
                        "courier.relay.admin.token", settings.admin().token()));
    }

    public enum Mode {
        /** Fetch rows by partition lease, woken by NOTIFY (PostgreSQL) or adaptive polling (MySQL/MariaDB). */
        POLLING,
        /** Read inserted rows from PostgreSQL's WAL with Debezium (pgoutput); one active engine per slot. */
        CDC
    }

    /**
     * @param table the outbox table; the relay's own tables are named after it ({@code <table>_relay_lease}, ...)
     * @param partitions partition count; must equal the writers' {@code courier.outbox.partitions}
     * @param channel PostgreSQL NOTIFY channel; default: the table name, as outbox-lib sends it
     * @param migrate whether to create or upgrade the relay's own tables at start-up (Flyway)
     * @param retention how long published rows are kept in {@code <table>_published}; 0 (default) deletes them
     */
    public record Outbox(
            @DefaultValue("courier_outbox") String table,
            @DefaultValue("32") int partitions,
            String channel,
            @DefaultValue("true") boolean migrate,
            @DefaultValue("0s") Duration retention) {

        void validate(Errors errors) {
            require(
                    errors,
                    retention != null && !retention.isNegative(),
                    "outbox.retention",
                    "courier.relay.outbox.retention must be 0 (delete published rows) or positive, was " + retention);
            check(errors, "outbox.table", () -> SqlIdentifiers.require(table, "courier.relay.outbox.table"));
            check(
                    errors,
                    "outbox.partitions",
                    () -> OutboxPartitions.requireValidCount(partitions, "courier.relay.outbox.partitions"));
            if (channel != null) {
                check(errors, "outbox.channel", () -> SqlIdentifiers.require(channel, "courier.relay.outbox.channel"));
            }
        }

        public String notifyChannel() {
            return channel != null ? channel : table;
        }

        public boolean retains() {
            return retention != null && retention.isPositive();
        }
    }

    /**
     * @param topicPrefix topic of an aggregate type without an override: prefix + aggregate type (Debezium's default)
     * @param topics topic per aggregate type, overriding the prefix rule
     * @param idHeader the header of the outbox message id; {@code id} (Debezium's outbox convention) clashes with
     *     Spring Messaging's reserved {@code id}, so a team consuming with {@code @KafkaListener} payload methods may
     *     choose another name, such as {@code message-id}
     */
    public record Kafka(
            @DefaultValue("outbox.event.") String topicPrefix,
            @DefaultValue Map<String, String> topics,
            @DefaultValue("id") String idHeader) {

        public Kafka {
            topics = Map.copyOf(topics);
        }
    }

    /**
     * @param ttl how long a lease lives without renewal; a dead instance's partitions move after this
     * @param renewInterval heartbeat and renewal period; at most half the TTL
     */
    public record Lease(
            @DefaultValue("10s") Duration ttl,
            @DefaultValue("2s") Duration renewInterval) {

        void validate(Errors errors) {
            check(errors, "lease.ttl", () -> Durations.requirePositive(ttl, "courier.relay.lease.ttl"));
            check(
                    errors,
                    "lease.renew-interval",
                    () -> Durations.requirePositive(renewInterval, "courier.relay.lease.renew-interval"));
            if (ttl != null && renewInterval != null) {
                require(
                        errors,
                        renewInterval.compareTo(ttl.dividedBy(2)) <= 0,
                        "lease.renew-interval",
                        "courier.relay.lease.renew-interval (" + renewInterval
                                + ") must be at most half of courier.relay.lease.ttl (" + ttl + ")");
            }
        }
    }

    /**
     * @param batchSize rows fetched and sent per partition at a time
     * @param safetyInterval the slow poll that covers lost notifications (PostgreSQL), the longest idle poll
     *     (MySQL/MariaDB)
     * @param minInterval the shortest adaptive poll (MySQL/MariaDB)
     * @param listen whether to LISTEN for the writers' NOTIFY (PostgreSQL)
     * @param dropAbandonedCdcSlot whether to drop cdc mode's replication slot ({@code courier.relay.cdc.slot}) while
     *     no cdc relay reads it (PostgreSQL): left behind after a switch back to polling, it holds WAL without bound
     * @param fetchFloors whether each partition's fetch starts above the rows already published (PostgreSQL); off, every
     *     fetch reads from the start of the partition, through the index entries of the rows deleted since the last
     *     vacuum
     */
    public record Poll(
            @DefaultValue("500") int batchSize,
            @DefaultValue("2s") Duration safetyInterval,
            @DefaultValue("10ms") Duration minInterval,
            @DefaultValue("true") boolean listen,
            @DefaultValue("true") boolean dropAbandonedCdcSlot,
            @DefaultValue("true") boolean fetchFloors) {

        void validate(Errors errors) {
            require(
                    errors,
                    batchSize >= 1 && batchSize <= 10_000,
                    "poll.batch-size",
                    "courier.relay.poll.batch-size must be between 1 and 10000, was " + batchSize);
            check(
                    errors,
                    "poll.safety-interval",
                    () -> Durations.requirePositive(safetyInterval, "courier.relay.poll.safety-interval"));
            check(
                    errors,
                    "poll.min-interval",
                    () -> Durations.requirePositive(minInterval, "courier.relay.poll.min-interval"));
        }
    }

    /**
     * @param maxAttempts failed attempts after which a message is parked (non-retriable errors only; an outage
     *     counts nothing)
     * @param backoffInitial first pause after a failure
     * @param backoffMax longest pause after repeated failures
     * @param sendTimeout how long a batch may wait for its acknowledgements (Kafka's {@code delivery.timeout.ms})
     */
    public record Failure(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("500ms") Duration backoffInitial,
            @DefaultValue("30s") Duration backoffMax,
            @DefaultValue("30s") Duration sendTimeout) {

        void validate(Errors errors) {
            require(
                    errors,
                    maxAttempts >= 1,
                    "failure.max-attempts",
                    "courier.relay.failure.max-attempts must be at least 1, was " + maxAttempts);
            check(
                    errors,
                    "failure.backoff-initial",
                    () -> Durations.requirePositive(backoffInitial, "courier.relay.failure.backoff-initial"));
            check(
                    errors,
                    "failure.backoff-max",
                    () -> Durations.requirePositive(backoffMax, "courier.relay.failure.backoff-max"));
            check(
                    errors,
                    "failure.send-timeout",
                    () -> Durations.requirePositive(sendTimeout, "courier.relay.failure.send-timeout"));
        }

        /** Exponential from the initial pause to the maximum, with 50% jitter. */
        public IntervalFunction backoff() {
            return IntervalFunction.ofExponentialRandomBackoff(backoffInitial, 2.0, 0.5, backoffMax);
        }
    }

    /**
     * @param slot the replication slot (created at start when missing)
     * @param schema schema of the outbox table
     * @param heartbeat Debezium heartbeat interval: lets the slot advance while the outbox is quiet
     * @param pollInterval how long Debezium waits for more events before handing a batch over
     * @param maxBatchSize most events per batch
     * @param leaderCheckInterval how often a standby tries to take the lead, and the leader checks its lock (and the
     *     slot's state is sampled for health and metrics)
     * @param slotInactiveTimeout health is DOWN once the slot has been missing or without a reader this long
     * @param debezium further Debezium connector properties (Debezium's names), for what Courier does not set
     */
    public record Cdc(
            @DefaultValue("courier_outbox_slot") String slot,
            @DefaultValue("public") String schema,
            @DefaultValue("10s") Duration heartbeat,
            @DefaultValue("1ms") Duration pollInterval,
            @DefaultValue("2048") int maxBatchSize,
            @DefaultValue("1s") Duration leaderCheckInterval,
            @DefaultValue("60s") Duration slotInactiveTimeout,
            @DefaultValue Map<String, String> debezium) {

        public Cdc {
            debezium = Map.copyOf(debezium);
        }

        void validate(Errors errors) {
            require(
                    errors,
                    slot != null && slot.matches("[a-z0-9_]{1,63}"),
                    "cdc.slot",
                    "courier.relay.cdc.slot must be 1 to 63 lower-case letters, digits or underscores (a PostgreSQL"
                            + " replication slot name), was '" + slot + "'");
            check(errors, "cdc.schema", () -> SqlIdentifiers.require(schema, "courier.relay.cdc.schema"));
            check(errors, "cdc.heartbeat", () -> Durations.requirePositive(heartbeat, "courier.relay.cdc.heartbeat"));
            check(
                    errors,
                    "cdc.poll-interval",
                    () -> Durations.requirePositive(pollInterval, "courier.relay.cdc.poll-interval"));
            check(
                    errors,
                    "cdc.leader-check-interval",
                    () -> Durations.requirePositive(leaderCheckInterval, "courier.relay.cdc.leader-check-interval"));
            check(
                    errors,
                    "cdc.slot-inactive-timeout",
                    () -> Durations.requirePositive(slotInactiveTimeout, "courier.relay.cdc.slot-inactive-timeout"));
            require(
                    errors,
                    maxBatchSize >= 1 && maxBatchSize <= 65_536,
                    "cdc.max-batch-size",
                    "courier.relay.cdc.max-batch-size must be between 1 and 65536, was " + maxBatchSize);
        }
    }

    /**
     * @param token bearer token of the admin API and the actuator (at least 16 printable characters); without one
     *     every call but the health probes answers 401
     */
    public record Admin(String token) {

        public Admin {
            if (token != null && token.isBlank()) {
                token = null;
            }
        }
    }

    /**
     * @param messages which messages' publishes are observed, as an {@code outbox receive} and a {@code <topic>
     *     publish} observation (spans with tracing, timers with metrics): {@code traced} (default) those whose outbox
     *     row carries a trace context (the writer's trace is continued), {@code all} also the others (each starts a
     *     trace of its own), {@code none} no message
     */
    public record Tracing(@DefaultValue("traced") ObservedMessages messages) {}

    /** Which messages' publishes the relay observes. */
    public enum ObservedMessages {
        TRACED,
        ALL,
        NONE
    }
}
