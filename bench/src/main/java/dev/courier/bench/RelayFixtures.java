package dev.courier.bench;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.outbox.Outbox;
import dev.courier.outbox.OutboxMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** The relay benchmark's fixtures: the relay process, topics, outbox rows and the admin API. */
final class RelayFixtures {

    private RelayFixtures() {}

    static final int TOPIC_PARTITIONS = 8;

    static final int KEYS = 1_000;

    static final String CDC_SLOT = "courier_bench_slot";

    static final String TOKEN = "bench-token-0123456789";

    static final byte[] PAYLOAD = payload();

    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The bench database can only be dropped once no slot holds it. */
    static void dropSlot(TestDatabase db) throws Exception {
        dropSlot(db, CDC_SLOT);
    }

    /** Drops {@code slot} once its reader has let go of it (a moment after the reader stopped). */
    static void dropSlot(TestDatabase db, String slot) throws Exception {
        Waits.awaitTrue(
                Duration.ofSeconds(30),
                () -> {
                    try (Connection c = db.dataSource().getConnection();
                            Statement drop = c.createStatement()) {
                        drop.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                + " WHERE slot_name = '" + slot + "'");
                        return true;
                    } catch (SQLException e) {
                        return false; // still active for a moment after its reader stopped
                    }
                },
                "slot " + slot + " dropped");
    }

    static void vacuum(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement vacuum = c.createStatement()) {
            vacuum.execute("VACUUM (ANALYZE) courier_outbox");
        }
    }

    /** Empties the outbox table, its sequence kept: rows no relay is to publish. */
    static void truncate(TestDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement truncate = c.createStatement()) {
            truncate.execute("TRUNCATE courier_outbox");
        }
    }

    static void fill(TestDatabase db, Outbox outbox, int messages) throws Exception {
        for (int i = 0; i < messages; i += 1_000) {
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                outbox.on(c).publishAll(batch(Math.min(1_000, messages - i)));
                c.commit();
            }
        }
    }

    static List<OutboxMessage> batch(int size) {
        List<OutboxMessage> batch = new ArrayList<>(size);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < size; i++) {
            batch.add(new OutboxMessage(
                    "bench", "key-" + random.nextInt(KEYS), "BenchEvent", PAYLOAD, Map.of("tenant", "bench")));
        }
        return batch;
    }

    static Process startRelay(
            TestDatabase db, String bootstrapServers, int port, String mode, Map<String, String> extraSettings)
            throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", Integer.toString(port));
        settings.put("courier.relay.mode", mode);
        settings.put("courier.relay.cdc.slot", CDC_SLOT);
        settings.put("courier.relay.member-id", "bench");
        settings.put("spring.datasource.url", db.jdbcUrl());
        settings.put("spring.datasource.username", db.user());
        settings.put("spring.datasource.password", db.password());
        settings.put("spring.kafka.bootstrap-servers", bootstrapServers);
        settings.put("courier.relay.admin.token", TOKEN);
        settings.putAll(extraSettings);
        String member = settings.get("courier.relay.member-id");
        String log = "relay-" + mode + (member.equals("bench") ? "" : "-" + member);
        return ChildJvm.startService("relay-service", "relay", log, ChildJvm.fixedHeap("1g"), settings);
    }

    static void createTopics(String bootstrapServers, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> created = new ArrayList<>();
            for (String topic : topics) {
                created.add(new NewTopic(topic, TOPIC_PARTITIONS, (short) 1));
            }
            admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        }
    }

    static void admin(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * Pauses every relay on the outbox (a cluster-wide switch each relay follows at its next lease renewal) and waits
     * until each relay at {@code ports} has stopped publishing.
     */
    static void pause(int... ports) throws Exception {
        admin(ports[0], "/admin/pause");
        for (int port : ports) {
            Waits.awaitTrue(
                    Duration.ofSeconds(30),
                    () -> {
                        try {
                            return adminGet(port, "/admin/status").contains("\"paused\":true");
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    "relay on port " + port + " paused");
        }
    }

    /** The body of an admin API answer to GET {@code path}. */
    static String adminGet(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A 1 KB JSON document, compressible like real events. */
    static byte[] payload() {
        StringBuilder json = new StringBuilder("{\"orderId\":\"o-1\",\"lines\":[");
        int line = 0;
        while (json.length() < 1000) {
            json.append("{\"sku\":\"SKU-")
                    .append(line)
                    .append("\",\"quantity\":")
                    .append(line % 7 + 1)
                    .append("},");
            line++;
        }
        json.setLength(json.length() - 1);
        json.append("]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
