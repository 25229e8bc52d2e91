package dev.courier.localservices.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts Courier's own Debian-managed PostgreSQL cluster on this machine (cluster {@value #CLUSTER} on port
 * {@value #PORT}, which {@code ./courier services} sets up beside any cluster of the host's), for tests of what a
 * database restart does to its clients. Needs root or password-less sudo, as the setup does.
 */
public final class LocalPostgres {

    /** The cluster's name: the host's own clusters ({@code main}, ...) are never touched. */
    public static final String CLUSTER = "courier";
    /** The cluster's port (the setup's {@code COURIER_PG_PORT}). */
    public static final int PORT = 55432;

    private final String version;

    private LocalPostgres(String version) {
        this.version = version;
    }

    /** Courier's cluster. */
    public static LocalPostgres courier() {
        for (String line : run(List.of("pg_lsclusters", "-h")).split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 3 && columns[1].equals(CLUSTER) && columns[2].equals(Integer.toString(PORT))) {
                return new LocalPostgres(columns[0]);
            }
        }
        throw new IllegalStateException(
                "No PostgreSQL cluster '" + CLUSTER + "' on port " + PORT + "; run ./courier services");
    }

    /** Stops the server (fast mode: open connections are cut), as a crash or failover looks to clients. */
    public void stop() {
        run(asRoot(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, "stop", "-m", "fast")));
    }

    /** Starts the server again and returns once it accepts connections. */
    public void start() {
        run(asRoot(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, "start")));
        run(List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p", Integer.toString(PORT), "-t", "60"));
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
