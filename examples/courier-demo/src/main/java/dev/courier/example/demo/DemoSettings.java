package dev.courier.example.demo;

import dev.courier.testsupport.process.JavaProcess;
import dev.courier.testsupport.rocketmq.EmbeddedRocketMq;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo runs: the repository (for the services' jars), the PostgreSQL server and database, every port, and
 * how much traffic to send. The defaults are the ports of {@code docker-compose.yml}.
 *
 * @param root the repository's root directory
 * @param database the demo's database (orders, outbox, relay), dropped and created at start, like the notifier's
 *     ({@link #notifierDatabase()})
 * @param orders how many orders to place
 * @param payEvery every how many orders, counting from the first, one is left unpaid (0: all are paid)
 * @param failEvery the receiver fails every this many new notifications once, on purpose (0: never)
 * @param headless print the summary and stop, instead of waiting for Ctrl-C
 */
public record DemoSettings(
        Path root,
        String postgresHost,
        int postgresPort,
        String postgresUser,
        String postgresPassword,
        String database,
        int kafkaPort,
        int kafkaControllerPort,
        int nameServerPort,
        int brokerPort,
        int relayPort,
        int notifierPort,
        int ordersPort,
        int receiverPort,
        int orders,
        int payEvery,
        int failEvery,
        boolean headless) {

    public static final String API_TOKEN = "demo-token-0123456789";
    public static final String MERCHANT_SECRET = "whsec_ZGVtby1tZXJjaGFudC1zZWNyZXQtMDEyMzQ1Njc4OQ==";

    /** The demo as {@code ./courier demo} runs it, from {@code root}. */
    public static DemoSettings defaults(Path root) {
        return new DemoSettings(
                root,
                "127.0.0.1",
                5432,
                "postgres",
                "postgres",
                "courier_demo",
                9092,
                9093,
                9876,
                10911,
                8081,
                8082,
                8090,
                8091,
                40,
                4,
                4,
                false);
    }

    /** These settings with other traffic. */
    public DemoSettings withTraffic(int orders, int payEvery, int failEvery, boolean headless) {
        return new DemoSettings(
                root,
                postgresHost,
                postgresPort,
                postgresUser,
                postgresPassword,
                database,
                kafkaPort,
                kafkaControllerPort,
                nameServerPort,
                brokerPort,
                relayPort,
                notifierPort,
                ordersPort,
                receiverPort,
                orders,
                payEvery,
                failEvery,
                headless);
    }

    /** These settings on free ports and databases named {@code database}, beside a demo that may be running. */
    public DemoSettings onFreePorts(String database) {
        return new DemoSettings(
                root,
                postgresHost,
                postgresPort,
                postgresUser,
                postgresPassword,
                database,
                JavaProcess.freePort(),
                JavaProcess.freePort(),
                JavaProcess.freePort(),
                EmbeddedRocketMq.freeBrokerPort(),
                JavaProcess.freePort(),
                JavaProcess.freePort(),
                JavaProcess.freePort(),
                JavaProcess.freePort(),
                orders,
                payEvery,
                failEvery,
                headless);
    }

    /** The repository root above {@code start}: the directory holding the {@code courier} launcher. */
    public static Path findRoot(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("courier")) && Files.isDirectory(dir.resolve("relay-service"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the Courier repository: " + start.toAbsolutePath());
    }

    /** The notifier's own database: in production it is a service of its own, apart from the orders. */
    public String notifierDatabase() {
        return database + "_notifier";
    }

    public String jdbcUrl(String name) {
        return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/" + name;
    }

    public String kafka() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String nameServer() {
        return "127.0.0.1:" + nameServerPort;
    }

    public String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    public int payments() {
        return payEvery == 0 ? orders : orders - (orders + payEvery - 1) / payEvery;
    }

    /** Whether order number {@code index} (from 0) is paid. */
    public boolean paid(int index) {
        return payEvery == 0 || index % payEvery != 0;
    }
}
