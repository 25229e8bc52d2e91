package dev.courier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.DatabaseServers;
import dev.courier.localservices.database.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseHarnessIT {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void createsAnEmptyDatabaseAndDropsItOnClose(DatabaseKind kind) throws SQLException {
        String name;
        try (TestDatabase database = TestDatabase.create(kind, "HarnessCheck")) {
            name = database.name();
            try (Connection connection = database.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE probe (id INT PRIMARY KEY)");
                statement.execute("INSERT INTO probe VALUES (42)");
                try (ResultSet rows = statement.executeQuery("SELECT id FROM probe")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(42);
                }
            }
            assertThat(databaseExists(kind, name)).isTrue();
        }
        assertThat(databaseExists(kind, name)).isFalse();
    }

    private static boolean databaseExists(DatabaseKind kind, String name) throws SQLException {
        String sql = kind == DatabaseKind.POSTGRESQL
                ? "SELECT 1 FROM pg_database WHERE datname = '" + name + "'"
                : "SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + name + "'";
        try (Connection connection = DatabaseServers.get(kind).connectAdmin();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next();
        }
    }
}
