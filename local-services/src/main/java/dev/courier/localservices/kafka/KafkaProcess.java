package dev.courier.localservices.kafka;

import dev.courier.localservices.ServiceUnavailableException;
import dev.courier.localservices.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker in its own JVM, started from the Kafka jars on the test class path. Unlike the
 * shared in-process broker it can be stopped and started again on the same ports and log directory, which is what
 * outage tests need; and it can be one that accepts SASL/PLAIN clients only, as production clusters do.
 */
public final class KafkaProcess implements AutoCloseable {

    /** The tests' broker: small and quick to start (a 512 MB heap, the serial collector). */
    public static final List<String> TEST_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

    /**
     * The JVM options Kafka's own start scripts give a broker ({@code kafka-server-start.sh}'s heap,
     * {@code kafka-run-class.sh}'s collector settings): a fixed 1 GB heap and G1 aiming at 20 ms pauses. The serial
     * collector of {@link #TEST_JVM} stops the broker for 10–60 ms every few seconds under load, which a latency
     * benchmark would charge to every client of the broker.
     */
    public static final List<String> KAFKA_SCRIPTS_JVM = List.of(
            "-Xms1g",
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent");

    private final Path directory;
    private final Path config;
    private final int port;
    private final SaslUser client;
    private final List<String> jvmOptions;
    private Process process;

    private KafkaProcess(Path directory, int port, int controllerPort, SaslUser client, List<String> jvmOptions)
            throws IOException, InterruptedException {
        this.directory = directory;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.port = port;
        this.client = client;
        this.config = directory.resolve("server.properties");
        String listener = client == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        Properties settings = new Properties();
        settings.setProperty("process.roles", "broker,controller");
        settings.setProperty("node.id", "1");
        settings.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.setProperty(
                "listeners", listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.setProperty("advertised.listeners", listener + "://127.0.0.1:" + port);
        settings.setProperty("controller.listener.names", "CONTROLLER");
        settings.setProperty("inter.broker.listener.name", listener);
        settings.setProperty("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        if (client != null) {
            SaslUser broker = new SaslUser("broker", "broker-" + Uuid.randomUuid());
            settings.setProperty("sasl.enabled.mechanisms", "PLAIN");
            settings.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
            settings.setProperty(
                    "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    broker.jaasConfig().replace(";", "") + " user_" + broker.name() + "=\"" + broker.password()
                            + "\" user_" + client.name() + "=\"" + client.password() + "\";");
        }
        settings.setProperty("log.dirs", directory.resolve("data").toString());
        settings.setProperty("offsets.topic.replication.factor", "1");
        settings.setProperty("transaction.state.log.replication.factor", "1");
        settings.setProperty("transaction.state.log.min.isr", "1");
        settings.setProperty("num.partitions", "4");
        settings.setProperty("group.initial.rebalance.delay.ms", "0");
        try (var out = Files.newBufferedWriter(config)) {
            settings.store(out, "Courier test broker");
        }
        Process format = run(
                TEST_JVM,
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString()));
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IOException("Formatting the Kafka log directory failed; see " + directory.resolve("kafka.log"));
        }
    }

    /** Formats a fresh log directory and starts the broker on free ports; ready when this returns. */
    public static KafkaProcess start() {
        return start(JavaProcess.freePort(), JavaProcess.freePort());
    }

    /**
     * Formats a fresh log directory and starts the broker on free ports in a JVM with {@code jvmOptions} (e.g.
     * {@link #KAFKA_SCRIPTS_JVM}) instead of {@link #TEST_JVM}; ready when this returns.
     */
    public static KafkaProcess start(List<String> jvmOptions) {
        return start(JavaProcess.freePort(), JavaProcess.freePort(), null, jvmOptions);
    }

    /** Formats a fresh log directory and starts the broker on the given ports; ready when this returns. */
    public static KafkaProcess start(int port, int controllerPort) {
        return start(port, controllerPort, null, TEST_JVM);
    }

    /**
     * Formats a fresh log directory and starts, on free ports, a broker that accepts SASL/PLAIN clients only: those
     * logging in as {@code client}. Ready when this returns.
     */
    public static KafkaProcess startSaslOnly(SaslUser client) {
        return start(JavaProcess.freePort(), JavaProcess.freePort(), client, TEST_JVM);
    }

    private static KafkaProcess start(int port, int controllerPort, SaslUser client, List<String> jvmOptions) {
        try {
            KafkaProcess kafka = new KafkaProcess(
                    Files.createTempDirectory("courier-kafka-"), port, controllerPort, client, jvmOptions);
            kafka.startAgain();
            return kafka;
        } catch (IOException | InterruptedException e) {
            throw new ServiceUnavailableException("Could not start a Kafka broker process: " + e, e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Settings (Kafka's names) of a client of this broker: the servers, and the SASL login where it needs one. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (client != null) {
            settings.putAll(client.clientSettings());
        }
        return settings;
    }

    /** Starts the broker again on the same ports and data, and waits until it answers. */
    public void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The broker is running");
        }
        process = run(jvmOptions, List.of("kafka.Kafka", config.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new ServiceUnavailableException(
                        "The Kafka broker process did not come up; see " + directory.resolve("kafka.log"), null);
            }
        }
    }

    /** Kills the broker (SIGKILL): clients see it vanish as in a crash or network cut. */
    public void kill() {
        JavaProcess.kill(process);
    }

    private boolean answers() {
        Map<String, Object> settings = clientSettings();
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(settings)) {
            admin.describeCluster().nodes().get(1, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private Process run(List<String> jvmOptions, List<String> mainAndArgs) {
        List<String> arguments = new ArrayList<>(jvmOptions);
        arguments.addAll(List.of("-cp", System.getProperty("java.class.path")));
        arguments.addAll(mainAndArgs);
        return JavaProcess.start(arguments, directory.resolve("kafka.log"));
    }

    @Override
    public void close() {
        if (process != null) {
            JavaProcess.kill(process);
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
