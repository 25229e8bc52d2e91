package dev.courier.example.demo;

import dev.courier.localservices.database.LocalPostgres;
import dev.courier.localservices.process.JavaProcess;
import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo runs and what it sends. The defaults are those of {@code docker-compose.yml}.
 *
 * @param root the repository's root directory (the services' jars are under it)
 * @param traceExport where the services export their spans (an OTLP/HTTP traces URL), every trace sampled; null for
 *     none
 */
public record DemoSettings(Path root, Database database, Ports ports, Traffic traffic, String traceExport) {

    /** The relay's admin token; each service has its own, so that one leaked token opens one service only. */
    public static final String RELAY_TOKEN = "demo-relay-token-0123456789";
    /** The notifier's API token. */
    public static final String NOTIFIER_TOKEN = "demo-notifier-token-0123456789";

    /** The merchant's application at the notifier (the orders-service's {@code orders.merchant-application}). */
    public static final String MERCHANT_APPLICATION = "demo-merchant";

    public static final String MERCHANT_SECRET = "whsec_ZGVtby1tZXJjaGFudC1zZWNyZXQtMDEyMzQ1Njc4OQ==";

    /**
     * The PostgreSQL server and the demo's databases, both dropped and created at start.
     *
     * @param name the orders service's database (orders, outbox, relay); the notifier's is {@link #notifierName()}
     */
    public record Database(String host, int port, String user, String password, String name) {

        /** The notifier's own database: in production it is a service of its own, apart from the orders. */
        public String notifierName() {
            return name + "_notifier";
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** The brokers' and services' ports; the RocketMQ broker also uses {@code broker - 2} and {@code broker + 1}. */
    public record Ports(
            int kafka,
            int kafkaController,
            int nameServer,
            int broker,
            int relay,
            int notifier,
            int orders,
            int receiver) {

        static Ports defaults() {
            return new Ports(9092, 9093, 9876, 10911, 8081, 8082, 8090, 8091);
        }

        static Ports free() {
            return new Ports(
                    JavaProcess.freePort(),
                    JavaProcess.freePort(),
                    JavaProcess.freePort(),
                    EmbeddedRocketMq.freeBrokerPort(),
                    JavaProcess.freePort(),
                    JavaProcess.freePort(),
                    JavaProcess.freePort(),
                    JavaProcess.freePort());
        }
    }

    /**
     * @param orders how many orders to place
     * @param payEvery of every this many orders, counting from the first, one is left unpaid (0: all are paid)
     * @param failEvery the receiver fails the first attempt of every this many notifications (0: never)
     * @param headless print the summary and stop, instead of waiting for Ctrl-C
     */
    public record Traffic(int orders, int payEvery, int failEvery, boolean headless) {

        public int payments() {
            return payEvery == 0 ? orders : orders - (orders + payEvery - 1) / payEvery;
        }

        /** Whether order number {@code index} (from 0) is paid. */
        public boolean paid(int index) {
            return payEvery == 0 || index % payEvery != 0;
        }
    }

    /** The demo as {@code ./courier demo} runs it, from {@code root}. */
    public static DemoSettings defaults(Path root) {
        return new DemoSettings(
                root,
                new Database("127.0.0.1", LocalPostgres.PORT, "postgres", "postgres", "courier_demo"),
                Ports.defaults(),
                new Traffic(40, 4, 4, false),
                null);
    }

    /** These settings with other traffic. */
    public DemoSettings with(Traffic other) {
        return new DemoSettings(root, database, ports, other, traceExport);
    }

    /** These settings with every service exporting all its spans to {@code otlpTracesUrl}. */
    public DemoSettings exportingTracesTo(String otlpTracesUrl) {
        return new DemoSettings(root, database, ports, traffic, otlpTracesUrl);
    }

    /** These settings with databases named after {@code name}. */
    public DemoSettings named(String name) {
        return new DemoSettings(
                root,
                new Database(database.host(), database.port(), database.user(), database.password(), name),
                ports,
                traffic,
                traceExport);
    }

    /** These settings on free ports and databases named after {@code name}, beside a demo that may be running. */
    public DemoSettings onFreePorts(String name) {
        return new DemoSettings(root, named(name).database(), Ports.free(), traffic, traceExport);
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

    public String kafka() {
        return "127.0.0.1:" + ports.kafka();
    }

    public String nameServer() {
        return "127.0.0.1:" + ports.nameServer();
    }

    public String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
