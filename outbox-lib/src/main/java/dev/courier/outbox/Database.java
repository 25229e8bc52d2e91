package dev.courier.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The databases Courier supports. MariaDB shares the MySQL dialect. */
public enum Database {
    POSTGRESQL("postgresql"),
    MYSQL("mysql");

    private final String folder;

    Database(String folder) {
        this.folder = folder;
    }

    /** The folder name of this database's schema resources, e.g. {@code db/courier/outbox/postgresql}. */
    public String folder() {
        return folder;
    }

    /** Detects the database behind {@code dataSource} from the driver's metadata. */
    public static Database of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        } catch (SQLException e) {
            throw new OutboxStorageException("Could not open a connection to detect the database", e);
        }
    }

    /** Detects the database behind {@code connection} from the driver's metadata. */
    public static Database of(Connection connection) {
        String product;
        try {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new OutboxStorageException("Could not read the database product name", e);
        }
        String name = product.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        throw new IllegalArgumentException(
                "Unsupported database '" + product + "': Courier supports PostgreSQL and MySQL/MariaDB");
    }
}
