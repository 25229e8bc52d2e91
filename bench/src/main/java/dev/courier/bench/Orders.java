package dev.courier.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The benchmarks' business row: one order per transaction. */
final class Orders {

    private Orders() {}

    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount BIGINT)");
        }
    }

    static int insert(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO orders (id, customer, amount) VALUES (?, ?, ?)")) {
            insert.setString(1, orderId);
            insert.setString(2, "customer-42");
            insert.setLong(3, 1999);
            return insert.executeUpdate();
        }
    }
}
