package dev.courier.localservices.database;

/**
 * The database servers the harness can provide, with the local defaults it probes: Courier's own servers, which
 * {@code ./courier services} runs beside the host's (PostgreSQL on {@value LocalPostgres#PORT}, MariaDB on
 * {@value #MARIADB_PORT}).
 */
public enum DatabaseKind {
    POSTGRESQL(
            "postgres",
            "jdbc:postgresql://127.0.0.1:" + LocalPostgres.PORT + "/postgres",
            "postgres",
            "postgres",
            "postgres:15"),
    MARIADB(
            "mariadb",
            "jdbc:mariadb://127.0.0.1:" + DatabaseKind.MARIADB_PORT + "/",
            "courier",
            "courier",
            "mariadb:10.11");

    /** The port of Courier's MariaDB server (the setup's {@code COURIER_MARIADB_PORT}). */
    public static final int MARIADB_PORT = 53306;

    private final String settingPrefix;
    private final String localUrl;
    private final String localUser;
    private final String localPassword;
    private final String image;

    DatabaseKind(String settingPrefix, String localUrl, String localUser, String localPassword, String image) {
        this.settingPrefix = settingPrefix;
        this.localUrl = localUrl;
        this.localUser = localUser;
        this.localPassword = localPassword;
        this.image = image;
    }

    /** Prefix of the explicit settings, e.g. {@code postgres} for {@code courier.test.postgres.url}. */
    public String settingPrefix() {
        return settingPrefix;
    }

    String localUrl() {
        return localUrl;
    }

    String localUser() {
        return localUser;
    }

    String localPassword() {
        return localPassword;
    }

    String image() {
        return image;
    }
}
