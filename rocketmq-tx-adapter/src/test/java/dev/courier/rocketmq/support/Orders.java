package dev.courier.rocketmq.support;

import dev.courier.outbox.Database;
import dev.courier.rocketmq.fence.FenceSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** The business table of the sender tests (PostgreSQL), next to the fence table. */
public final class Orders {

    private Orders() {}

    /** Creates the fence table and the {@code orders} table. */
    public static void createTables(DataSource dataSource) throws SQLException {
        new FenceSchema(Database.POSTGRESQL, "courier_tx_fence").migrate(dataSource);
        try (Connection c = dataSource.getConnection();
                Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TABLE orders (id varchar(64) PRIMARY KEY, amount int NOT NULL)");
        }
    }

    public static int insert(Connection connection, String id, int amount) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, amount) VALUES (?, ?)")) {
            insert.setString(1, id);
            insert.setInt(2, amount);
            return insert.executeUpdate();
        }
    }

    public static boolean exists(DataSource dataSource, String id) throws SQLException {
        return idsStartingWith(dataSource, id).contains(id);
    }

    /** Ids of the committed orders that start with {@code prefix}. */
    public static Set<String> idsStartingWith(DataSource dataSource, String prefix) throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT id FROM orders WHERE starts_with(id, ?)")) {
            select.setString(1, prefix);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }
}
