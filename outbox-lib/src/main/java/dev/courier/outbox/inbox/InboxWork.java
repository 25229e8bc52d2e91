package dev.courier.outbox.inbox;

import java.sql.Connection;

/** A consumer's work on a message, run in the transaction that records the message id. */
@FunctionalInterface
public interface InboxWork<T> {

    /**
     * @param connection the connection of the inbox transaction; Spring users may ignore it and use their
     *     repositories, which join the same transaction
     */
    T process(Connection connection) throws Exception;
}
