package dev.courier.rocketmq;

import java.sql.Connection;

/**
 * The business work of a transactional message, run in the local database transaction that decides the message. Use
 * {@code connection} (or, with Spring, anything bound to the same transaction: JdbcTemplate, JPA); do not commit.
 * Throwing rolls the transaction back, and the message with it.
 */
@FunctionalInterface
public interface LocalTransaction<T> {

    T execute(Connection connection) throws Exception;
}
