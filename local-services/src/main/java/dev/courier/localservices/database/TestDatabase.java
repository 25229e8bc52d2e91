package dev.courier.localservices.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database created for one test class and dropped after it. Its name carries the creating JVM's pid, so databases
 * left behind by a killed JVM are dropped the next time a test JVM starts.
 */
public final class TestDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final String PREFIX = "courier_t_";
    private static final Pattern OWNED_NAME = Pattern.compile(PREFIX + "(\\d+)_.*");
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<DatabaseKind> SWEPT = EnumSet.noneOf(DatabaseKind.class);

    private final DatabaseServer server;
    private final String name;
    private final HikariDataSource dataSource;

    private TestDatabase(DatabaseServer server, String name) {
        this.server = server;
        this.name = name;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.urlOf(name));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(24);
        config.setPoolName(name);
        this.dataSource = new HikariDataSource(config);
    }

    /** Creates a fresh, empty database; {@code label} (e.g. the test class) makes its name readable. */
    public static TestDatabase create(DatabaseKind kind, String label) {
        DatabaseServer server = DatabaseServers.get(kind);
        sweepAbandoned(server);
        String name = PREFIX + PID + "_" + sanitize(label) + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        execute(server, "CREATE DATABASE " + name);
        return new TestDatabase(server, name);
    }

    public DatabaseKind kind() {
        return server.kind();
    }

    public String name() {
        return name;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return server.urlOf(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** A new connection outside the pool, e.g. to hold a lock or listen while the pool is busy. */
    public Connection connect() throws SQLException {
        return server.connect(jdbcUrl());
    }

    @Override
    public void close() {
        dataSource.close();
        drop(server, name);
    }

    private static synchronized void sweepAbandoned(DatabaseServer server) {
        if (!SWEPT.add(server.kind())) {
            return;
        }
        String list = server.kind() == DatabaseKind.POSTGRESQL
                ? "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'"
                : "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '" + PREFIX + "%'";
        try (Connection connection = server.connectAdmin();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(list)) {
            List<String> abandoned = new ArrayList<>();
            while (rows.next()) {
                Matcher matcher = OWNED_NAME.matcher(rows.getString(1));
                if (matcher.matches()
                        && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    abandoned.add(rows.getString(1));
                }
            }
            abandoned.forEach(name -> drop(server, name));
        } catch (SQLException e) {
            log.warn("Could not look for abandoned test databases: {}", e.getMessage());
        }
    }

    private static void drop(DatabaseServer server, String name) {
        try {
            execute(
                    server,
                    server.kind() == DatabaseKind.POSTGRESQL
                            ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
                            : "DROP DATABASE IF EXISTS " + name);
        } catch (RuntimeException e) {
            log.warn("Could not drop test database {}: {}", name, e.getMessage());
        }
    }

    private static void execute(DatabaseServer server, String sql) {
        try (Connection connection = server.connectAdmin();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server.origin() + ": " + e.getMessage(), e);
        }
    }

    private static String sanitize(String label) {
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return clean.substring(0, Math.min(clean.length(), 24));
    }
}
