package dev.courier.outbox.autoconfigure;

import dev.courier.outbox.Durations;
import dev.courier.outbox.OutboxPartitions;
import dev.courier.outbox.SqlIdentifiers;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of outbox-lib, prefix {@code courier.outbox}. Validated when bound: a bad value fails start-up with a
 * message naming the property.
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
        @DefaultValue("false") boolean deleteAfterInsert) {

    public OutboxProperties {
        SqlIdentifiers.require(table, "courier.outbox.table");
        OutboxPartitions.requireValidCount(partitions, "courier.outbox.partitions");
        if (maxPayloadSize == null || maxPayloadSize.toBytes() < 1) {
            throw new IllegalArgumentException(
                    "courier.outbox.max-payload-size must be positive, was " + maxPayloadSize);
        }
    }

    /**
     * @param enabled whether each writing transaction sends a PostgreSQL NOTIFY, delivered on commit
     * @param channel the NOTIFY channel; default: the outbox table name
     */
    public record WakeUp(@DefaultValue("true") boolean enabled, String channel) {

        public WakeUp {
            if (channel != null) {
                SqlIdentifiers.require(channel, "courier.outbox.wake-up.channel");
            }
        }
    }

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
     */
    public record Inbox(
            @DefaultValue("courier_inbox") String table,
            @DefaultValue("default") String consumer,
            @DefaultValue("7d") Duration retention,
            @DefaultValue("1h") Duration cleanupInterval,
            @DefaultValue("true") boolean cleanupEnabled) {

        public Inbox {
            SqlIdentifiers.require(table, "courier.outbox.inbox.table");
            if (consumer == null || consumer.isBlank() || consumer.length() > 255) {
                throw new IllegalArgumentException(
                        "courier.outbox.inbox.consumer must be 1 to 255 characters, was '" + consumer + "'");
            }
            Durations.requirePositive(retention, "courier.outbox.inbox.retention");
            Durations.requirePositive(cleanupInterval, "courier.outbox.inbox.cleanup-interval");
        }
    }
}
