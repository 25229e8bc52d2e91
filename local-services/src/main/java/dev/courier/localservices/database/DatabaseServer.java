package dev.courier.localservices.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database server the tests may create databases on.
 *
 * @param adminUrl a JDBC URL of a database that always exists on the server (e.g. {@code postgres})
 * @param origin how the server was found, for log lines and error messages
 */
public record DatabaseServer(DatabaseKind kind, String adminUrl, String user, String password, String origin) {

    public Connection connectAdmin() throws SQLException {
        return connect(adminUrl);
    }

    /** The JDBC URL of {@code database} on this server. */
    public String urlOf(String database) {
        return replaceDatabase(adminUrl, database);
    }

    Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Fail fast when nothing listens: PostgreSQL's driver counts seconds, MariaDB's milliseconds.
        properties.setProperty("connectTimeout", kind == DatabaseKind.POSTGRESQL ? "3" : "3000");
        return DriverManager.getConnection(url, properties);
    }

    /** Replaces the path of {@code jdbc:driver://host:port/db?params} with {@code database}. */
    static String replaceDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int pathStart = url.indexOf('/', hostStart);
        int queryStart = url.indexOf('?', hostStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart);
        String hostAndPort = url.substring(0, pathStart < 0 ? (queryStart < 0 ? url.length() : queryStart) : pathStart);
        return hostAndPort + "/" + database + query;
    }
}
