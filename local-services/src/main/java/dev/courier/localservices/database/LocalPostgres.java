package dev.courier.localservices.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the Debian-managed PostgreSQL cluster on this machine (the one {@code ./courier services} set up),
 * for tests of what a database restart does to its clients. Needs root or password-less sudo, as the setup does.
 */
public final class LocalPostgres {

    private final String version;

    private LocalPostgres(String version) {
        this.version = version;
    }

    /** The cluster {@code main} listening on port 5432. */
    public static LocalPostgres main() {
        for (String line : run(List.of("pg_lsclusters", "-h")).split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 3 && columns[1].equals("main") && columns[2].equals("5432")) {
                return new LocalPostgres(columns[0]);
            }
        }
        throw new IllegalStateException("No PostgreSQL cluster 'main' on port 5432; run ./courier services");
    }

    /** Stops the server (fast mode: open connections are cut), as a crash or failover looks to clients. */
    public void stop() {
        run(asRoot(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast")));
    }

    /** Starts the server again and returns once it accepts connections. */
    public void start() {
        run(asRoot(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")));
        run(List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432", "-t", "60"));
    }

    private static List<String> asRoot(List<String> command) {
        if ("root".equals(System.getProperty("user.name"))) {
            return command;
        }
        List<String> sudo = new ArrayList<>(List.of("sudo", "-n"));
        sudo.addAll(command);
        return sudo;
    }

    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
