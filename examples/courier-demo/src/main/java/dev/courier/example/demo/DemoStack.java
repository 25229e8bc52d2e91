package dev.courier.example.demo;

import dev.courier.localservices.kafka.KafkaProcess;
import dev.courier.localservices.process.JavaProcess;
import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import dev.courier.localservices.suite.SuiteResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything the demo runs: a fresh database, Kafka (a broker process from the Kafka jars), RocketMQ (name server and
 * broker in this JVM), and the services from their executable jars, each logging to
 * {@code target/demo/<database>/<service>.log}.
 * Closing stops them all, the last started first.
 */
final class DemoStack implements AutoCloseable {

    static final List<String> TOPICS = List.of("outbox.event.order", "outbox.event.payment");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DemoSettings settings;
    private final Progress progress;
    private final Path logs;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> services = new ArrayList<>();
    private KafkaProcess kafka;
    private Admin admin;
    private boolean rocketMq;
    private EventCounter counter;

    DemoStack(DemoSettings settings, Progress progress) throws IOException {
        this.settings = settings;
        this.progress = progress;
        this.logs = Files.createDirectories(directory(settings));
    }

    /** Where a demo of these settings keeps its logs; its pid file is beside it. */
    static Path directory(DemoSettings settings) {
        return settings.root()
                .resolve("target")
                .resolve("demo")
                .resolve(settings.database().name());
    }

    void start() throws Exception {
        progress.step(
                "PostgreSQL: fresh databases " + settings.database().name() + " and "
                        + settings.database().notifierName(),
                this::createDatabases);
        progress.step("Kafka (KRaft) on " + settings.kafka(), () -> {
            kafka = KafkaProcess.start(
                    settings.ports().kafka(), settings.ports().kafkaController());
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka()));
            createTopics();
        });
        progress.step("RocketMQ name server " + settings.nameServer() + " and broker", () -> {
            rocketMq = true;
            EmbeddedRocketMq.startOn(
                    settings.ports().nameServer(), settings.ports().broker());
            EmbeddedRocketMq.createTopic("stock-reservations");
        });
        progress.step("demo receiver on " + settings.url(settings.ports().receiver()), this::startReceiver);
        progress.step("best-effort-notifier on " + settings.url(settings.ports().notifier()), this::startNotifier);
        progress.step("orders-service on " + settings.url(settings.ports().orders()), this::startOrders);
        progress.step(
                "relay-service (polling) on " + settings.url(settings.ports().relay()), this::startRelay);
        counter = new EventCounter(settings.kafka(), TOPICS);
    }

    private void createDatabases() throws SQLException {
        try (Connection c = connect("postgres");
                Statement statement = c.createStatement()) {
            for (String database :
                    List.of(settings.database().name(), settings.database().notifierName())) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + database);
            }
        }
    }

    private void createTopics() throws Exception {
        admin.createTopics(TOPICS.stream()
                        .map(topic -> new NewTopic(topic, 4, (short) 1))
                        .toList())
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private void startReceiver() {
        Process process = JavaProcess.startJar(
                jar("examples/demo-receiver", "demo-receiver"),
                List.of(
                        "-Xmx64m",
                        "-Dreceiver.port=" + settings.ports().receiver(),
                        "-Dreceiver.secret=" + DemoSettings.MERCHANT_SECRET,
                        "-Dreceiver.fail-every=" + settings.traffic().failEvery()),
                Map.of(),
                logs.resolve("demo-receiver.log"));
        services.add(process);
        Awaitility.await("the demo receiver")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> get(settings.url(settings.ports().receiver()) + "/health")
                                .statusCode()
                        == 200);
    }

    private void startNotifier() {
        Map<String, String> config =
                datasource("spring.datasource.", settings.database().notifierName());
        config.put("courier.notifier.api-token", DemoSettings.NOTIFIER_TOKEN);
        config.put("courier.notifier.instance-id", "demo");
        config.put("courier.notifier.ssrf.allow", "127.0.0.0/8");
        config.put("spring.kafka.bootstrap-servers", settings.kafka());
        config.put("courier.notifier.kafka.rules[0].topic", "outbox.event.payment");
        // Each payment is a message to the merchant's application, fanned out to its subscribed endpoints.
        config.put("courier.notifier.kafka.rules[0].application-header", "merchant");
        service("best-effort-notifier", "best-effort-notifier", settings.ports().notifier(), config);
    }

    private void startOrders() {
        Map<String, String> config =
                datasource("spring.datasource.", settings.database().name());
        config.put("courier.rocketmq.name-server", settings.nameServer());
        config.put("orders.notifier-url", settings.url(settings.ports().notifier()));
        config.put("orders.notifier-token", DemoSettings.NOTIFIER_TOKEN);
        config.put("orders.merchant-url", settings.url(settings.ports().receiver()) + "/webhooks/payments");
        config.put("orders.ledger-url", settings.url(settings.ports().receiver()) + "/webhooks/ledger");
        config.put("orders.merchant-secret", DemoSettings.MERCHANT_SECRET);
        service("examples/orders-service", "orders-service", settings.ports().orders(), config);
    }

    private void startRelay() {
        Map<String, String> config =
                datasource("spring.datasource.", settings.database().name());
        config.put("spring.kafka.bootstrap-servers", settings.kafka());
        config.put("courier.relay.admin.token", DemoSettings.RELAY_TOKEN);
        config.put("courier.relay.member-id", "demo");
        service("relay-service", "relay-service", settings.ports().relay(), config);
    }

    private Map<String, String> datasource(String prefix, String database) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(prefix + "url", settings.database().jdbcUrl(database));
        config.put(prefix + "username", settings.database().user());
        config.put(prefix + "password", settings.database().password());
        return config;
    }

    private void service(String module, String artifact, int port, Map<String, String> config) {
        Map<String, String> all = new LinkedHashMap<>(config);
        all.put("server.port", Integer.toString(port));
        // The demo's tokens are public: its services answer on this machine only.
        all.put("server.address", "127.0.0.1");
        if (settings.traceExport() != null) {
            all.put("management.opentelemetry.tracing.export.otlp.endpoint", settings.traceExport());
            all.put("management.tracing.sampling.probability", "1.0");
        }
        Process process = JavaProcess.startJar(
                jar(module, artifact),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                all,
                logs.resolve(artifact + ".log"));
        services.add(process);
        JavaProcess.awaitHealthy(process, port, Duration.ofSeconds(120), artifact);
    }

    private Path jar(String module, String artifact) {
        return JavaProcess.jarIn(settings.root().resolve(module).resolve("target"), artifact);
    }

    /** Reads every part's numbers. */
    Summary summary() throws Exception {
        JsonNode orders = JSON.readTree(
                get(settings.url(settings.ports().orders()) + "/api/stats").body());
        Map<String, Long> notifications = new LinkedHashMap<>();
        long attempts;
        long messages;
        long outboxLeft;
        try (Connection c = connect(settings.database().notifierName());
                Statement statement = c.createStatement()) {
            try (ResultSet rows =
                    statement.executeQuery("SELECT status, count(*) FROM notifier_notification GROUP BY status")) {
                while (rows.next()) {
                    notifications.put(rows.getString(1), rows.getLong(2));
                }
            }
            attempts = count(statement, "SELECT count(*) FROM notifier_attempt");
            messages = count(statement, "SELECT count(*) FROM notifier_message");
        }
        try (Connection c = connect(settings.database().name());
                Statement statement = c.createStatement()) {
            outboxLeft = count(statement, "SELECT count(*) FROM courier_outbox");
        }
        // After the notifier's numbers: the receiver counts a notification before it answers, and the notifier records
        // it delivered after the answer, so read in this order the receiver never shows fewer than were delivered.
        JsonNode receiver = JSON.readTree(
                get(settings.url(settings.ports().receiver()) + "/stats").body());
        return new Summary(
                orders.path("orders").asLong(),
                orders.path("payments").asLong(),
                orders.path("outboxEventsWritten").asLong(),
                outboxLeft,
                published(),
                counter.consumed(),
                orders.path("stockReservationsConsumed").asLong(),
                messages,
                notifications.values().stream().mapToLong(Long::longValue).sum(),
                notifications.getOrDefault("DELIVERED", 0L),
                notifications.getOrDefault("PENDING", 0L),
                notifications.getOrDefault("GAVE_UP", 0L),
                attempts,
                receiver.path("verifiedNotifications").asLong(),
                receiver.path("failedOnPurpose").asLong(),
                receiver.path("rejectedSignatures").asLong(),
                receiver.path("traceparents")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList());
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                settings.database().jdbcUrl(database),
                settings.database().user(),
                settings.database().password());
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Messages on the relay's topics: the sum of their partitions' end offsets (one admin client for the run). */
    private long published() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (String topic : TOPICS) {
            for (int partition = 0; partition < 4; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A link to the tenant portal of the demo's merchant (valid for a day), asked from the notifier as a platform's
     * backend would; null when the notifier does not answer with one.
     */
    String portalLink() throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(settings.url(settings.ports().notifier()) + "/api/applications/"
                                + DemoSettings.MERCHANT_APPLICATION + "/portal-links"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + DemoSettings.NOTIFIER_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"expiresInSeconds\": 86400}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            progress.say("no portal link: the notifier answered %d %s", answer.statusCode(), answer.body());
            return null;
        }
        return CourierDemo.JSON.readTree(answer.body()).path("url").asString();
    }

    HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (counter != null) {
            counter.close();
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            Process process = services.get(i);
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    JavaProcess.kill(process);
                }
            } catch (InterruptedException e) {
                JavaProcess.kill(process);
                Thread.currentThread().interrupt();
            }
        }
        if (rocketMq) {
            SuiteResources.stopAll();
        }
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
