package dev.courier.testsupport.database;

import dev.courier.localservices.database.DatabaseKind;
import dev.courier.localservices.database.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabaseExtension db = TestDatabaseExtension.postgres();
 * }</pre>
 */
public final class TestDatabaseExtension implements BeforeAllCallback, AfterAllCallback {

    private final DatabaseKind kind;
    private TestDatabase database;

    private TestDatabaseExtension(DatabaseKind kind) {
        this.kind = kind;
    }

    public static TestDatabaseExtension postgres() {
        return new TestDatabaseExtension(DatabaseKind.POSTGRESQL);
    }

    public static TestDatabaseExtension mariadb() {
        return new TestDatabaseExtension(DatabaseKind.MARIADB);
    }

    public static TestDatabaseExtension of(DatabaseKind kind) {
        return new TestDatabaseExtension(kind);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestDatabase.create(kind, context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    public TestDatabase database() {
        if (database == null) {
            throw new IllegalStateException("The test database exists only between @BeforeAll and @AfterAll");
        }
        return database;
    }

    public DatabaseKind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return database().dataSource();
    }

    public Connection connect() throws SQLException {
        return database().connect();
    }
}
