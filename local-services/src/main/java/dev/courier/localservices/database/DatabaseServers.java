package dev.courier.localservices.database;

import dev.courier.localservices.ServiceUnavailableException;
import dev.courier.localservices.TestSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds a database server once per JVM and kind: explicit settings ({@code courier.test.<kind>.url}, {@code .user},
 * {@code .password}) win over a local server on the default port, which wins over a Testcontainers container when
 * Docker is available. Without any of them, tests fail with a message saying how to provide one.
 */
public final class DatabaseServers {

    private static final Logger log = LoggerFactory.getLogger(DatabaseServers.class);
    private static final Map<DatabaseKind, DatabaseServer> SERVERS = new EnumMap<>(DatabaseKind.class);

    private DatabaseServers() {}

    public static synchronized DatabaseServer get(DatabaseKind kind) {
        return SERVERS.computeIfAbsent(kind, DatabaseServers::resolve);
    }

    private static DatabaseServer resolve(DatabaseKind kind) {
        DatabaseServer server = explicit(kind)
                .or(() -> local(kind))
                .or(() -> container(kind))
                .orElseThrow(() -> new ServiceUnavailableException(howToProvide(kind)));
        log.info("Using {} from {}", kind, server.origin());
        return server;
    }

    private static Optional<DatabaseServer> explicit(DatabaseKind kind) {
        String prefix = kind.settingPrefix() + ".";
        return TestSettings.get(prefix + "url").map(url -> {
            DatabaseServer server = new DatabaseServer(
                    kind,
                    url,
                    TestSettings.get(prefix + "user").orElse(kind.localUser()),
                    TestSettings.get(prefix + "password").orElse(kind.localPassword()),
                    "explicit settings (" + TestSettings.environmentName(prefix + "url") + ")");
            // An explicit server that does not answer is a configuration error: do not fall back silently.
            String failure = probe(server);
            if (failure != null) {
                throw new ServiceUnavailableException(
                        "The explicitly configured " + kind + " at " + url + " is not reachable: " + failure);
            }
            return server;
        });
    }

    private static Optional<DatabaseServer> local(DatabaseKind kind) {
        DatabaseServer server = new DatabaseServer(
                kind, kind.localUrl(), kind.localUser(), kind.localPassword(), "the local server " + kind.localUrl());
        String failure = probe(server);
        if (failure == null) {
            return Optional.of(server);
        }
        if (kind == DatabaseKind.MARIADB) {
            // Debian's MariaDB lets root in over TCP without a password until one is set.
            DatabaseServer root = new DatabaseServer(kind, kind.localUrl(), "root", "", server.origin() + " as root");
            if (probe(root) == null) {
                return Optional.of(root);
            }
        }
        log.debug("No local {}: {}", kind, failure);
        return Optional.empty();
    }

    private static Optional<DatabaseServer> container(DatabaseKind kind) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            return Optional.empty();
        }
        JdbcDatabaseContainer<?> container = switch (kind) {
            case POSTGRESQL -> new PostgreSQLContainer(kind.image()).withCommand("postgres", "-c", "wal_level=logical");
            case MARIADB -> new MariaDBContainer(kind.image());
        };
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "courier-test-container-stop"));
        String adminUrl = kind == DatabaseKind.POSTGRESQL
                ? DatabaseServer.replaceDatabase(container.getJdbcUrl(), "postgres")
                : DatabaseServer.replaceDatabase(container.getJdbcUrl(), "");
        String user = kind == DatabaseKind.MARIADB ? "root" : container.getUsername();
        return Optional.of(new DatabaseServer(
                kind, adminUrl, user, container.getPassword(), "a Testcontainers container " + kind.image()));
    }

    /** {@code null} when the server answers, otherwise why not. */
    private static String probe(DatabaseServer server) {
        try (Connection connection = server.connectAdmin()) {
            return connection.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String howToProvide(DatabaseKind kind) {
        String prefix = kind.settingPrefix() + ".";
        return "No " + kind + " server for the tests. Provide one of: (1) explicit settings "
                + TestSettings.environmentName(prefix + "url") + " (an admin JDBC URL, e.g. " + kind.localUrl() + "), "
                + TestSettings.environmentName(prefix + "user") + " and "
                + TestSettings.environmentName(prefix + "password")
                + " (or system properties courier.test." + prefix + "url/user/password); (2) a local server at "
                + kind.localUrl() + " with user " + kind.localUser() + "/" + kind.localPassword()
                + " (./courier services starts and configures one on Debian); (3) a running Docker engine for"
                + " Testcontainers.";
    }
}
