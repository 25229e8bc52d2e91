package dev.courier.outbox.inbox;

import dev.courier.outbox.Database;
import dev.courier.outbox.Transactions;
import dev.courier.outbox.internal.InboxBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The inbox makes a consumer idempotent: it records a message id and runs the consumer's work in ONE local
 * transaction, so the work of a message id runs at most once per consumer however often the message arrives. A
 * second delivery racing with the first waits for it: if the first commits, the second is a duplicate; if it rolls
 * back, the second runs the work.
 *
 * <pre>{@code
 * InboxResult<Void> result = inbox.receive(record.id(), connection -> {
 *     applyPayment(connection, record.payload());
 *     return null;
 * });
 * }</pre>
 */
public interface Inbox {

    /** Receives {@code messageId} for the inbox's default consumer; see {@link #receive(String, String, InboxWork)}. */
    <T> InboxResult<T> receive(String messageId, InboxWork<T> work);

    /**
     * Records {@code messageId} for {@code consumer} and runs {@code work} in the same transaction, or skips
     * {@code work} when the id was already recorded. Joins the active transaction, or runs its own one.
     *
     * @throws IllegalArgumentException when the consumer or message id is blank or longer than 255 characters
     * @throws InboxWorkException when {@code work} throws a checked exception (runtime exceptions pass unchanged);
     *     the id is then not recorded
     */
    <T> InboxResult<T> receive(String consumer, String messageId, InboxWork<T> work);

    /** An inbox joining the transaction of {@code connection} (auto-commit off); the caller commits. */
    Inbox on(Connection connection);

    /**
     * Deletes the ids received before {@code cutoff}, in small batches so that no long lock is held. A message
     * redelivered after its id was deleted runs again: keep the retention longer than any redelivery window.
     *
     * @return the number of ids deleted
     */
    long deleteReceivedBefore(Instant cutoff);

    static Builder builder(DataSource dataSource) {
        return new InboxBuilder(dataSource);
    }

    /** Settings of an inbox; every setting has a default. */
    interface Builder {

        Builder database(Database database);

        /** The inbox table; default {@code courier_inbox}. */
        Builder table(String table);

        /** The consumer name used by {@link Inbox#receive(String, InboxWork)}; default {@code default}. */
        Builder consumer(String consumer);

        /** Where the inbox finds or begins transactions; default: its own JDBC transactions on the data source. */
        Builder transactions(Transactions transactions);

        Builder meterRegistry(MeterRegistry registry);

        Inbox build();
    }
}
