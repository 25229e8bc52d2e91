package dev.courier.outbox;

import dev.courier.outbox.internal.OutboxBuilder;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The transactional outbox. Inside a Spring-managed transaction, call {@link #publish} directly; with plain JDBC,
 * call {@link #on(Connection)} with the connection of your transaction.
 *
 * <pre>{@code
 * Outbox outbox = Outbox.builder(dataSource).build();
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     outbox.on(c).publish("order", order.id(), "OrderPlaced", order);
 *     c.commit();
 * }
 * }</pre>
 */
public interface Outbox extends OutboxWriter {

    /**
     * A writer that joins the transaction of {@code connection}. The caller commits or rolls back; the connection
     * must not be in auto-commit mode, or publishing fails with {@link NoActiveTransactionException}.
     */
    OutboxWriter on(Connection connection);

    /** Starts a plain-Java configuration; Spring Boot users get an {@code Outbox} bean instead. */
    static Builder builder(DataSource dataSource) {
        return new OutboxBuilder(dataSource);
    }

    /** Settings of an outbox; every setting has a default. */
    interface Builder {

        /** The database, when detection from the driver's metadata is not wanted. */
        Builder database(Database database);

        /** The outbox table; default {@code courier_outbox}. */
        Builder table(String table);

        /** Partitions the relay leases; must match the relay's setting; default 32. */
        Builder partitions(int partitions);

        /** Largest accepted serialized payload in bytes; default 1 MiB. */
        Builder maxPayloadBytes(long maxPayloadBytes);

        /** PostgreSQL NOTIFY channel the relay listens on; default the table name. */
        Builder wakeUpChannel(String channel);

        /** Whether to NOTIFY the relay on commit (PostgreSQL only); default true. */
        Builder wakeUp(boolean enabled);

        /**
         * The shortest time between two wake-ups of the relay (PostgreSQL), which fold the commits in between into one
         * NOTIFY; with plain JDBC also how soon after a publish the outbox first looks whether the transaction committed.
         * Shorter wakes the relay sooner and costs the database more statements when many transactions commit; between
         * 100 µs and 1 s, default 1 ms.
         */
        Builder wakeUpInterval(java.time.Duration interval);

        /**
         * For the relay's cdc mode only: delete each row in the same transaction right after inserting it, so that
         * the table stays empty while the WAL still carries the insert to Debezium. A polling relay never sees such
         * rows; switch this off before switching a service back to polling mode. PostgreSQL only; implies no
         * NOTIFY wake-up. Default false.
         */
        Builder deleteAfterInsert(boolean enabled);

        Builder serializer(PayloadSerializer serializer);

        /** The headers that carry the current trace into each message; default none. */
        Builder traceHeaders(TraceHeaders headers);

        /**
         * @deprecated since 0.2, for removal in 0.3: use {@link #traceHeaders}, which keeps {@code tracestate} too
         */
        @Deprecated(since = "0.2", forRemoval = true)
        Builder traceparentSource(TraceparentSource source);

        Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry);

        /**
         * Where each write is observed: an {@code outbox publish} observation (a span with a tracing handler, a timer
         * with a meter handler) around every {@code publish}, whose span the written trace headers point to, so that
         * the relay's span is its child. Default: none.
         */
        Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry);

        /** Where the outbox finds the caller's transaction; default: none (use {@link Outbox#on(Connection)}). */
        Builder transactions(Transactions transactions);

        Outbox build();
    }
}
