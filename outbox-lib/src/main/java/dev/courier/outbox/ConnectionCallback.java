package dev.courier.outbox;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on the connection of a transaction. */
@FunctionalInterface
public interface ConnectionCallback<T> {

    T doInConnection(Connection connection) throws SQLException;
}
