package dev.courier.outbox.autoconfigure;

import static dev.courier.outbox.autoconfigure.SettingsValidation.check;
import static dev.courier.outbox.autoconfigure.SettingsValidation.require;

import dev.courier.outbox.Durations;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.SqlIdentifiers;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of outbox-lib, prefix {@code courier.outbox}. Validated when bound: bad values fail the start-up, every one
 * of them reported at once against its property.
 *
 * @param enabled whether the outbox and inbox beans are created
 * @param table the outbox table
 * @param partitions partitions the relay leases; must equal the relay's {@code courier.relay.partitions}
 * @param maxPayloadSize largest accepted serialized payload; larger ones fail inside the transaction
 * @param wakeUp how relays are woken on commit (PostgreSQL)
 * @param schema schema migration at start-up
 * @param inbox the inbox of idempotent consumers
 * @param deleteAfterInsert cdc mode only (PostgreSQL): delete each row right after its insert, in the same
 *     transaction, so the table stays empty; a polling relay never sees such rows
 */
@ConfigurationProperties("courier.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("courier_outbox") String table,
        @DefaultValue("32") int partitions,
        @DefaultValue("1MB") DataSize maxPayloadSize,
        @DefaultValue WakeUp wakeUp,
        @DefaultValue Schema schema,
        @DefaultValue Inbox inbox,
        @DefaultValue("false") boolean deleteAfterInsert)
        implements Validator {

    @Override
    public boolean supports(Class<?> type) {
        return OutboxProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        OutboxProperties settings = (OutboxProperties) target;
        check(errors, "table", () -> SqlIdentifiers.require(settings.table(), "courier.outbox.table"));
        check(
                errors,
                "partitions",
                () -> OutboxPartitions.requireValidCount(settings.partitions(), "courier.outbox.partitions"));
        require(
                errors,
                settings.maxPayloadSize() != null && settings.maxPayloadSize().toBytes() >= 1,
                "max-payload-size",
                "courier.outbox.max-payload-size must be positive, was " + settings.maxPayloadSize());
        Duration interval = settings.wakeUp().interval();
        require(
                errors,
                interval != null
                        && interval.compareTo(Duration.ofNanos(100_000)) >= 0
                        && interval.compareTo(Duration.ofSeconds(1)) <= 0,
                "wake-up.interval",
                "courier.outbox.wake-up.interval must be between 100us and 1s, was " + interval);
        String channel = settings.wakeUp().channel();
        if (channel != null) {
            check(errors, "wake-up.channel", () -> SqlIdentifiers.require(channel, "courier.outbox.wake-up.channel"));
        }
        Inbox inbox = settings.inbox();
        check(errors, "inbox.table", () -> SqlIdentifiers.require(inbox.table(), "courier.outbox.inbox.table"));
        require(
                errors,
                inbox.consumer() != null
                        && !inbox.consumer().isBlank()
                        && inbox.consumer().length() <= 255,
                "inbox.consumer",
                "courier.outbox.inbox.consumer must be 1 to 255 characters, was '" + inbox.consumer() + "'");
        check(
                errors,
                "inbox.retention",
                () -> Durations.requirePositive(inbox.retention(), "courier.outbox.inbox.retention"));
        check(
                errors,
                "inbox.cleanup-interval",
                () -> Durations.requirePositive(inbox.cleanupInterval(), "courier.outbox.inbox.cleanup-interval"));
        require(
                errors,
                inbox.idHeader() != null
                        && !inbox.idHeader().isBlank()
                        && inbox.idHeader().length() <= 255,
                "inbox.id-header",
                "courier.outbox.inbox.id-header must be 1 to 255 characters, was '" + inbox.idHeader() + "'");
    }

    /**
     * @param enabled whether relays are woken by a PostgreSQL NOTIFY after writing transactions commit
     * @param channel the NOTIFY channel; default: the outbox table name
     * @param interval the shortest time between two wake-ups (commits in between share one); with plain JDBC also how
     *     soon after a publish the outbox first looks whether the transaction committed
     */
    public record WakeUp(
            @DefaultValue("true") boolean enabled,
            String channel,
            @DefaultValue("1ms") Duration interval) {}

    /**
     * @param migrate whether to apply Courier's Flyway migrations at start-up (needs Flyway on the class path), with
     *     the history table {@code <table>_schema_history}
     */
    public record Schema(@DefaultValue("true") boolean migrate) {}

    /**
     * @param table the inbox table
     * @param consumer the consumer name of {@code inbox.receive(messageId, work)}
     * @param retention how long received ids are kept; longer than any redelivery window of the consumed source
     * @param cleanupInterval how often expired ids are deleted
     * @param cleanupEnabled whether this application deletes expired ids
     * @param idHeader the Kafka record header {@code KafkaInbox} reads the message id from (the relay's
     *     {@code courier.relay.kafka.id-header})
     */
    public record Inbox(
            @DefaultValue("courier_inbox") String table,
            @DefaultValue("default") String consumer,
            @DefaultValue("7d") Duration retention,
            @DefaultValue("1h") Duration cleanupInterval,
            @DefaultValue("true") boolean cleanupEnabled,
            @DefaultValue("id") String idHeader) {}
}
