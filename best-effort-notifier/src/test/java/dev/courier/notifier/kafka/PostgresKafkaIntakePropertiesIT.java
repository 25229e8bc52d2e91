package dev.courier.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.Receiver;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.hostile.HostileValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Properties of the Kafka intake under generated hostile records (headers and values of any bytes: NULs, broken
 * UTF-8, huge texts, JSON of every shape and none; headers missing or doubled; unknown endpoints), all on one
 * partition and followed by one valid record:
 *
 * <ul>
 *   <li>the valid record behind them is stored: no record blocks its partition;
 *   <li>every record is either accepted or rejected and counted, exactly once;
 *   <li>an accepted record reads back equal: the stored body is the record's value byte for byte, the event type its
 *       {@code type} header, the idempotency key its {@code id} header (or coordinates) and the endpoint;
 *   <li>the intake loop is UP at the end.
 * </ul>
 *
 * One seed makes all records; a failure names it, and {@code -Dcourier.test.seed=<seed>} makes them again.
 */
class PostgresKafkaIntakePropertiesIT {

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.postgres();

    private static final String TOPIC = "outbox.event.hostile." + Long.toString(System.nanoTime(), 36);

    private static NotifierInstance notifier;
    private static Receiver receiver;
    private static KafkaProducer<byte[], byte[]> producer;
    private static String endpointId;

    /** One generated record, and what the intake must make of it if it accepts it. */
    record Sent(ProducerRecord<byte[], byte[]> record, long offset) {

        String header(String name) {
            var header = record.headers().lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        String idempotencyKey(String endpoint) {
            String id = header("id");
            return (id != null ? id : TOPIC + "-0@" + offset) + "/" + endpoint;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        try (Admin admin = EmbeddedKafka.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        receiver = Receiver.start();
        producer = EmbeddedKafka.byteProducer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024));
        notifier = NotifierInstance.start(
                db.database(),
                "kafka-properties-it",
                Map.of(
                        "spring.kafka.bootstrap-servers",
                        EmbeddedKafka.bootstrapServers(),
                        "spring.kafka.consumer.group-id",
                        "properties-" + TOPIC,
                        "courier.notifier.kafka.rules[0].topic",
                        TOPIC,
                        "courier.notifier.kafka.rules[0].endpoint-header",
                        "merchant-endpoint"));
        NotifierApi api = notifier.api();
        endpointId = api.createEndpoint(Map.of("url", receiver.url("/hostile")))
                .path("id")
                .asString();
    }

    @AfterAll
    static void stop() {
        producer.close();
        notifier.close();
        receiver.close();
    }

    @Test
    void everyHostileRecordIsAcceptedOrCountedNoneBlocksItsPartitionAndAnAcceptedOneReadsBackEqual() throws Exception {
        long seed = HostileValues.seeds(1).findFirst().orElseThrow();
        int samples = Integer.getInteger("courier.test.samples", 150);
        Random random = new Random(seed);
        MeterRegistry metrics = notifier.bean(MeterRegistry.class);
        double countedBefore = counted(metrics);

        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            sent.add(send(hostileRecord(random)));
        }
        String sentinel = "sentinel-" + seed;
        ProducerRecord<byte[], byte[]> valid = new ProducerRecord<>(TOPIC, 0, null, bytes("{\"last\":true}"));
        valid.headers().add("id", bytes(sentinel));
        valid.headers().add("type", bytes("payment.succeeded"));
        valid.headers().add("merchant-endpoint", bytes(endpointId));
        sent.add(send(valid));

        await("seed " + seed + ": the valid record behind " + samples + " hostile ones is stored")
                .atMost(Duration.ofSeconds(90))
                .until(() -> !stored(sentinel + "/" + endpointId).isEmpty());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(counted(metrics) - countedBefore)
                        .as("seed %d: accepted + rejected", seed)
                        .isEqualTo(sent.size()));
        assertThat(metrics.get("courier.notifier.loop.up")
                        .tag("loop", "kafka-intake")
                        .gauge()
                        .value())
                .as("seed %d: the intake loop is up", seed)
                .isOne();

        Map<String, List<Sent>> byKey = new LinkedHashMap<>();
        for (Sent record : sent) {
            String endpoint = record.header("merchant-endpoint");
            if (endpoint != null) {
                byKey.computeIfAbsent(record.idempotencyKey(endpoint.trim()), k -> new ArrayList<>())
                        .add(record);
            }
        }
        List<Map<String, Object>> rows = JdbcClient.create(db.dataSource())
                .sql("SELECT idempotency_key, event_type, body, endpoint_id FROM notifier_notification"
                        + " WHERE source = ?")
                .param("kafka:" + TOPIC)
                .query()
                .listOfRows();
        assertThat(rows).as("seed %d", seed).isNotEmpty();
        for (Map<String, Object> row : rows) {
            String key = (String) row.get("idempotency_key");
            byte[] body = ((String) row.get("body")).getBytes(StandardCharsets.UTF_8);
            // Records may share a key (a hostile id sent twice): the stored one is one of them, read back equal.
            assertThat(byKey.getOrDefault(key, List.of()))
                    .as("seed %d: a record sent under key %s has the stored body and type", seed, key)
                    .anySatisfy(origin -> {
                        assertThat(body).isEqualTo(origin.record().value());
                        String type = origin.header("type");
                        assertThat(row.get("event_type")).isEqualTo(type != null ? type : TOPIC);
                    });
            assertThat(row.get("endpoint_id").toString()).isEqualTo(endpointId);
        }
    }

    private static ProducerRecord<byte[], byte[]> hostileRecord(Random random) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(TOPIC, 0, random.nextBoolean() ? null : hostileBytes(random), value(random));
        header(random, record, "id", () -> bytes(UUID.randomUUID().toString()));
        header(random, record, "type", () -> bytes("payment.succeeded"));
        header(random, record, "merchant-endpoint", () -> switch (random.nextInt(4)) {
            case 0, 1 -> bytes(endpointId);
            case 2 -> bytes(" " + endpointId + "\t");
            default -> bytes(UUID.randomUUID().toString());
        });
        header(random, record, "traceparent", () -> bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        return record;
    }

    /**
     * Leaves the header out, sets it to hostile bytes or (more often, so that enough records are accepted for the
     * read-back property) to something plausible; now and then twice.
     */
    private static void header(
            Random random, ProducerRecord<byte[], byte[]> record, String name, Supplier<byte[]> plausible) {
        int times = random.nextInt(8) == 0 ? 2 : 1;
        for (int i = 0; i < times; i++) {
            switch (random.nextInt(5)) {
                case 0 -> {}
                case 1 -> record.headers().add(name, hostileBytes(random));
                default -> record.headers().add(name, plausible.get());
            }
        }
    }

    private static byte[] value(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> hostileBytes(random);
            case 2 -> HostileValues.body(random, HostileValues.json(random, 3));
            case 3, 4 -> brokenUtf8InsideJson(random);
            default -> bytes(HostileValues.json(random, 3));
        };
    }

    /** A JSON object whose only string holds bytes that are no UTF-8 (lone continuation or lead bytes). */
    private static byte[] brokenUtf8InsideJson(Random random) {
        byte[] broken = new byte[1 + random.nextInt(4)];
        for (int i = 0; i < broken.length; i++) {
            broken[i] = (byte) (0x80 + random.nextInt(0x80));
        }
        byte[] head = bytes("{\"note\":\"");
        byte[] tail = bytes("\"}");
        byte[] value = new byte[head.length + broken.length + tail.length];
        System.arraycopy(head, 0, value, 0, head.length);
        System.arraycopy(broken, 0, value, head.length, broken.length);
        System.arraycopy(tail, 0, value, head.length + broken.length, tail.length);
        return value;
    }

    /** A hostile text as UTF-8, or raw bytes of any value (broken UTF-8 included). */
    private static byte[] hostileBytes(Random random) {
        if (random.nextBoolean()) {
            return bytes(HostileValues.text(random));
        }
        byte[] raw = new byte[random.nextInt(64)];
        random.nextBytes(raw);
        return raw;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Sent send(ProducerRecord<byte[], byte[]> record) throws Exception {
        RecordMetadata metadata = producer.send(record).get();
        return new Sent(record, metadata.offset());
    }

    private static List<String> stored(String idempotencyKey) {
        return JdbcClient.create(db.dataSource())
                .sql("SELECT id::text FROM notifier_notification WHERE source = ? AND idempotency_key = ?")
                .params("kafka:" + TOPIC, idempotencyKey)
                .query(String.class)
                .list();
    }

    /** Records the intake accounted for: accepted plus rejected, whatever the reason. */
    private static double counted(MeterRegistry metrics) {
        double accepted = metrics.find("courier.notifier.kafka.accepted").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        double rejected = metrics.find("courier.notifier.kafka.rejected").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        return accepted + rejected;
    }
}
