package dev.courier.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.message.MessageIntake;
import dev.courier.notifier.notification.Intake;
import dev.courier.notifier.notification.NotificationStore;
import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.Receiver;
import dev.courier.supervision.LoopHealthIndicator;
import dev.courier.testsupport.database.TestDatabaseExtension;
import dev.courier.testsupport.ops.OpsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Kafka intake from a real broker: records of the relay's shape (id and type headers, JSON value) become signed
 * deliveries, each message once however often it is consumed; records that cannot be delivered are skipped without
 * blocking the ones behind them.
 */
class PostgresKafkaIntakeIT {

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.postgres();

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String PAYMENTS = "outbox.event.payment." + RUN;
    private static final String REFUNDS = "outbox.event.refund." + RUN;
    private static final String ORDERS = "outbox.event.order." + RUN;
    private static final String INVOICES = "outbox.event.invoice." + RUN;
    private static final String INVOICED_SHOP = "invoiced-" + RUN;
    private static final UUID REFUND_ENDPOINT = UUID.randomUUID();

    private static NotifierInstance notifier;
    private static Receiver receiver;
    private static NotifierApi api;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() {
        receiver = Receiver.start();
        producer = EmbeddedKafka.byteProducer(Map.of());
        // A fixed-endpoint rule names its endpoint before the notifier starts: the schema exists only after the
        // first start, so this one is registered below, before anything is produced to its topic.
        notifier = NotifierInstance.start(
                db.database(),
                "kafka-it",
                Map.ofEntries(
                        Map.entry("spring.kafka.bootstrap-servers", EmbeddedKafka.bootstrapServers()),
                        Map.entry("spring.kafka.consumer.group-id", "notifier-" + RUN),
                        Map.entry("courier.notifier.kafka.rules[0].topic", PAYMENTS),
                        Map.entry("courier.notifier.kafka.rules[0].endpoint-header", "merchant-endpoint"),
                        Map.entry("courier.notifier.kafka.rules[1].topic", REFUNDS),
                        Map.entry("courier.notifier.kafka.rules[1].endpoint-id", REFUND_ENDPOINT.toString()),
                        Map.entry("courier.notifier.kafka.rules[1].event-types", "refund.succeeded"),
                        Map.entry("courier.notifier.kafka.rules[2].topic", ORDERS),
                        Map.entry("courier.notifier.kafka.rules[2].application-header", "merchant"),
                        Map.entry("courier.notifier.kafka.rules[3].topic", INVOICES),
                        Map.entry("courier.notifier.kafka.rules[3].application", INVOICED_SHOP)));
        api = notifier.api();
        JdbcClient jdbc = JdbcClient.create(db.dataSource());
        jdbc.sql("INSERT INTO notifier_endpoint (id, url, retry_profile, ack_matcher, timeout_ms, max_concurrency,"
                        + " rate_per_second) VALUES (?, ?, 'custom:100ms', 'any-2xx', 2000, 5, 100)")
                .params(REFUND_ENDPOINT, receiver.url("/refunds"))
                .update();
        jdbc.sql("INSERT INTO notifier_endpoint_secret (endpoint_id, secret) VALUES (?, ?)")
                .params(REFUND_ENDPOINT, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .update();
    }

    @AfterAll
    static void stop() {
        producer.close();
        notifier.close();
        receiver.close();
    }

    private static void send(String topic, String id, String type, String endpoint, String value) {
        send(topic, id, type, "merchant-endpoint", endpoint, value);
    }

    private static void send(String topic, String id, String type, String target, String targetId, String value) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, "key".getBytes(), value.getBytes(StandardCharsets.UTF_8));
        if (id != null) {
            record.headers().add("id", id.getBytes(StandardCharsets.UTF_8));
        }
        if (type != null) {
            record.headers().add("type", type.getBytes(StandardCharsets.UTF_8));
        }
        if (targetId != null) {
            record.headers().add(target, targetId.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record);
    }

    private static long notifications(String endpointId) {
        return JdbcClient.create(db.dataSource())
                .sql("SELECT count(*) FROM notifier_notification WHERE endpoint_id = ?")
                .param(UUID.fromString(endpointId))
                .query(Long.class)
                .single();
    }

    @Test
    void eachMessageBecomesOneDeliveryHoweverOftenItIsConsumed() {
        String merchantA = api.createEndpoint(Map.of("url", receiver.url("/merchant-a")))
                .path("id")
                .asString();
        String merchantB = api.createEndpoint(Map.of("url", receiver.url("/merchant-b")))
                .path("id")
                .asString();
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = UUID.randomUUID().toString();
            messageIds.add(id);
            send(PAYMENTS, id, "payment.succeeded", i % 2 == 0 ? merchantA : merchantB, "{\"payment\":" + i + "}");
        }
        // The relay delivers at least once: the same messages again, as after a relay crash.
        for (int i = 0; i < 10; i++) {
            send(
                    PAYMENTS,
                    messageIds.get(i),
                    "payment.succeeded",
                    i % 2 == 0 ? merchantA : merchantB,
                    "{\"payment\":" + i + "}");
        }
        producer.flush();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> receiver.requests("/merchant-a").size()
                                + receiver.requests("/merchant-b").size()
                        >= 40);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> JdbcClient.create(db.dataSource())
                                .sql("SELECT count(*) FROM notifier_notification WHERE source = ?"
                                        + " AND status = 'DELIVERED' AND endpoint_id IN (?, ?)")
                                .params("kafka:" + PAYMENTS, UUID.fromString(merchantA), UUID.fromString(merchantB))
                                .query(Long.class)
                                .single()
                        == 40);

        List<Receiver.Request> received = new ArrayList<>(receiver.requests("/merchant-a"));
        received.addAll(receiver.requests("/merchant-b"));
        assertThat(received).hasSize(40);
        assertThat(new HashSet<>(
                        received.stream().map(r -> r.header("webhook-id")).toList()))
                .hasSize(40);
        assertThat(receiver.requests("/merchant-a"))
                .hasSize(20)
                .allSatisfy(r -> assertThat(r.body()).matches("\\{\"payment\":\\d*[02468]}"));
        assertThat(notifications(merchantA) + notifications(merchantB)).isEqualTo(40);
        assertThat(JdbcClient.create(db.dataSource())
                        .sql("SELECT DISTINCT event_type FROM notifier_notification WHERE endpoint_id IN (?, ?)")
                        .params(UUID.fromString(merchantA), UUID.fromString(merchantB))
                        .query(String.class)
                        .list())
                .containsExactly("payment.succeeded");
    }

    @Test
    void recordsThatCannotBeDeliveredAreSkippedWithoutBlockingTheRest() {
        MeterRegistry metrics = notifier.bean(MeterRegistry.class);
        String merchant = api.createEndpoint(Map.of("url", receiver.url("/merchant-c")))
                .path("id")
                .asString();

        send(PAYMENTS, UUID.randomUUID().toString(), "payment.failed", merchant, "not json");
        send(
                PAYMENTS,
                UUID.randomUUID().toString(),
                "payment.failed",
                UUID.randomUUID().toString(),
                "{}");
        send(PAYMENTS, UUID.randomUUID().toString(), "payment.failed", "merchant-7", "{}");
        send(PAYMENTS, UUID.randomUUID().toString(), "payment.failed", merchant, "{\"after\":\"the bad ones\"}");
        producer.flush();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/merchant-c").size() == 1);
        assertThat(receiver.requests("/merchant-c").getFirst().body()).isEqualTo("{\"after\":\"the bad ones\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(metrics.get("courier.notifier.kafka.rejected")
                            .tag("reason", "invalid")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.get("courier.notifier.kafka.rejected")
                            .tag("reason", "unknown-endpoint")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.get("courier.notifier.kafka.rejected")
                            .tag("reason", "no-endpoint")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
        });
    }

    /**
     * A topic mapped to the application named in each record's header: every record becomes one message, fanned out
     * by event type to the application's subscribed endpoints, once however often it is consumed; records naming no
     * application or one that does not exist are skipped without holding up the rest.
     */
    @Test
    void recordsOfAnApplicationTopicFanOutByTypeOncePerRecord() {
        MeterRegistry metrics = notifier.bean(MeterRegistry.class);
        String shop = "kafka-shop-" + RUN;
        assertThat(api.post("/api/applications", Map.of("id", shop)).status()).isEqualTo(201);
        Map.of("/shop-payments", "payment.*", "/shop-refunds", "refund.*")
                .forEach((path, types) -> assertThat(api.post(
                                        "/api/applications/" + shop + "/endpoints",
                                        Map.of("url", receiver.url(path), "eventTypes", List.of(types)))
                                .status())
                        .isEqualTo(201));
        double noApplication = rejected(metrics, "no-application");
        double unknownApplication = rejected(metrics, "unknown-application");
        double invalid = rejected(metrics, "invalid");
        double unstorable = rejected(metrics, "unstorable");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            String type = i < 5 ? "payment.succeeded" : "refund.created";
            send(ORDERS, id, type, "merchant", shop, "{\"n\":" + i + "}");
            if (i == 2) {
                send(ORDERS, UUID.randomUUID().toString(), type, "merchant", null, "{}");
                send(ORDERS, UUID.randomUUID().toString(), type, "merchant", "no-such-shop", "{}");
                // No application id can hold this: refused at once, never sent to the database.
                send(ORDERS, UUID.randomUUID().toString(), type, "merchant", "shop\u0000" + "x".repeat(300), "{}");
            }
        }
        for (int i = 0; i < 3; i++) {
            send(ORDERS, ids.get(i), "payment.succeeded", "merchant", shop, "{\"n\":" + i + "}");
        }
        producer.flush();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/shop-payments").size() == 5
                        && receiver.requests("/shop-refunds").size() == 3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(rejected(metrics, "no-application")).isEqualTo(noApplication + 1);
            assertThat(rejected(metrics, "unknown-application")).isEqualTo(unknownApplication + 1);
            assertThat(rejected(metrics, "invalid")).isGreaterThanOrEqualTo(invalid + 1);
        });
        assertThat(rejected(metrics, "unstorable")).isEqualTo(unstorable);
        JdbcClient jdbc = JdbcClient.create(db.dataSource());
        assertThat(jdbc.sql("SELECT idempotency_key FROM notifier_message WHERE application_id = ?")
                        .param(shop)
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(receiver.requests("/shop-payments"))
                .extracting(r -> r.header("webhook-id"))
                .doesNotHaveDuplicates();
        assertThat(api.get("/api/applications/" + shop + "/deliveries?limit=100")
                        .json())
                .hasSize(8);
    }

    /**
     * A rule that names its application itself, before the application exists: a configuration fault, not a bad
     * record. The record waits (the intake retries it as in an outage) and is delivered once the application and its
     * endpoint are created; nothing is skipped.
     */
    @Test
    void recordsOfAFixedApplicationThatDoesNotExistYetWaitForItInsteadOfBeingSkipped() {
        MeterRegistry metrics = notifier.bean(MeterRegistry.class);
        double unknownBefore = rejected(metrics, "unknown-application");
        double failuresBefore = loopFailures(metrics);

        send(INVOICES, UUID.randomUUID().toString(), "invoice.paid", "merchant", null, "{\"invoice\":1}");
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> loopFailures(metrics) > failuresBefore);
        assertThat(api.post("/api/applications", Map.of("id", INVOICED_SHOP)).status())
                .isEqualTo(201);
        assertThat(api.post(
                                "/api/applications/" + INVOICED_SHOP + "/endpoints",
                                Map.of("url", receiver.url("/invoices")))
                        .status())
                .isEqualTo(201);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/invoices").size() == 1);
        assertThat(receiver.requests("/invoices").getFirst().body()).isEqualTo("{\"invoice\":1}");
        assertThat(rejected(metrics, "unknown-application")).isEqualTo(unknownBefore);
    }

    private static double loopFailures(MeterRegistry metrics) {
        var counter = metrics.find("courier.notifier.loop.failures")
                .tag("loop", "kafka-intake")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFixedEndpointRuleTakesOnlyItsEventTypes() {
        String wanted = UUID.randomUUID().toString();
        send(REFUNDS, UUID.randomUUID().toString(), "refund.requested", null, "{\"refund\":\"requested\"}");
        send(REFUNDS, wanted, "refund.succeeded", null, "{\"refund\":\"succeeded\"}");
        producer.flush();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/refunds").size() == 1);
        Receiver.Request request = receiver.requests("/refunds").getFirst();
        assertThat(request.body()).isEqualTo("{\"refund\":\"succeeded\"}");
        assertThat(JdbcClient.create(db.dataSource())
                        .sql("SELECT idempotency_key FROM notifier_notification WHERE source = ?")
                        .param("kafka:" + REFUNDS)
                        .query(String.class)
                        .list())
                .containsExactly(wanted + "/" + REFUND_ENDPOINT);
    }

    @Test
    void recordsWhoseFieldsTheDatabaseWouldRefuseAreSkippedAndCounted() {
        MeterRegistry metrics = notifier.bean(MeterRegistry.class);
        String merchant = api.createEndpoint(Map.of("url", receiver.url("/merchant-hostile")))
                .path("id")
                .asString();
        double invalidBefore = rejected(metrics, "invalid");

        send(PAYMENTS, "id-with-\u0000-nul", "payment.failed", merchant, "{}");
        send(PAYMENTS, "x".repeat(300), "payment.failed", merchant, "{}");
        send(PAYMENTS, UUID.randomUUID().toString(), "type with spaces", merchant, "{}");
        send(PAYMENTS, UUID.randomUUID().toString(), "payment.failed", merchant, "{\"after\":\"the hostile ones\"}");
        producer.flush();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/merchant-hostile").size() == 1);
        assertThat(receiver.requests("/merchant-hostile").getFirst().body())
                .isEqualTo("{\"after\":\"the hostile ones\"}");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(rejected(metrics, "invalid")).isGreaterThanOrEqualTo(invalidBefore + 3));
        assertThat(notifications(merchant)).isEqualTo(1);
    }

    /**
     * Every notifier metric the repository's alert rules and Grafana dashboard use ({@code ops/}) is in a real scrape
     * of a notifier that consumes from Kafka and delivers: the Kafka consumer's client metrics and the webhook
     * connection pool's included. An alert on a metric nobody exposes would never fire.
     */
    @Test
    void everyMetricOfTheAlertsAndTheDashboardIsScraped() {
        Set<String> referenced = OpsMetrics.referenced("courier_notifier_", "kafka_consumer_", "httpcomponents_");
        assertThat(referenced)
                .contains("courier_notifier_deliveries_total", "httpcomponents_httpclient_pool_total_pending");
        String merchant = api.createEndpoint(Map.of("url", receiver.url("/merchant-ops")))
                .path("id")
                .asString();
        send(PAYMENTS, UUID.randomUUID().toString(), "payment.succeeded", merchant, "{\"ops\":true}");
        send(PAYMENTS, UUID.randomUUID().toString(), "payment.succeeded", merchant, "not json");
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(receiver.requests("/merchant-ops")).isNotEmpty();
            assertThat(OpsMetrics.scraped(api.get("/actuator/prometheus").raw().body()))
                    .containsAll(referenced);
        });
    }

    /**
     * The database refuses one record with a data error, every time (a trigger raises a check violation): after three
     * attempts it is skipped as unstorable instead of blocking its partition for ever, and the record behind it is
     * accepted.
     */
    @Test
    void aRecordTheDatabaseRefusesEveryTimeIsSkippedAsUnstorableAndTheNextIsAccepted() {
        JdbcClient jdbc = JdbcClient.create(db.dataSource());
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$
                BEGIN
                    IF NEW.body LIKE '%poison%' THEN
                        RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""").update();
        jdbc.sql("CREATE TRIGGER refuse_poison BEFORE INSERT ON notifier_notification"
                        + " FOR EACH ROW EXECUTE FUNCTION refuse_poison()")
                .update();
        try {
            MeterRegistry metrics = notifier.bean(MeterRegistry.class);
            double before = rejected(metrics, "unstorable");
            String merchant = api.createEndpoint(Map.of("url", receiver.url("/merchant-poison")))
                    .path("id")
                    .asString();
            send(PAYMENTS, UUID.randomUUID().toString(), "payment.succeeded", merchant, "{\"poison\":true}");
            send(
                    PAYMENTS,
                    UUID.randomUUID().toString(),
                    "payment.succeeded",
                    merchant,
                    "{\"after\":\"the refused one\"}");
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(rejected(metrics, "unstorable")).isEqualTo(before + 1);
                assertThat(receiver.requests("/merchant-poison"))
                        .singleElement()
                        .satisfies(request -> assertThat(request.body()).isEqualTo("{\"after\":\"the refused one\"}"));
            });
            assertThat(notifier.bean(KafkaIntake.class).health().isUp()).isTrue();
        } finally {
            jdbc.sql("DROP TRIGGER refuse_poison ON notifier_notification").update();
        }
    }

    @Test
    void anUnexpectedFailureOfTheIntakeLoopTurnsItsHealthDownAndTheLoopRecovers() {
        String topic = "outbox.event.faulty." + RUN;
        String merchant = api.createEndpoint(Map.of("url", receiver.url("/merchant-faulty")))
                .path("id")
                .asString();
        // The fault: the hook after storing throws what the loop does not expect, twice.
        AtomicInteger faults = new AtomicInteger(2);
        Intake faulty = new Intake(
                notifier.bean(NotificationStore.class), notifier.bean(EndpointStore.class), 64 * 1024, endpoint -> {
                    if (faults.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure after storing");
                    }
                });
        KafkaIntake intake = new KafkaIntake(
                ConsumerSettings.of(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        EmbeddedKafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "faulty-" + RUN)),
                new NotifierProperties.Kafka(
                        List.of(new NotifierProperties.Rule(
                                topic, null, "merchant-endpoint", List.of(), null, null, null, null)),
                        "id"),
                faulty,
                notifier.bean(MessageIntake.class),
                64 * 1024,
                new SimpleMeterRegistry());
        LoopHealthIndicator health = new LoopHealthIndicator(intake.health());
        intake.start();
        try {
            List<Status> seen = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 5; i++) {
                send(topic, "faulty-" + i, "payment.succeeded", merchant, "{\"n\":" + i + "}");
            }
            producer.flush();

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        seen.add(health.health().getStatus());
                        return seen.contains(Status.DOWN);
                    });
            assertThat(health.health().getDetails()).containsKey("lastError");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(notifications(merchant)).isEqualTo(5);
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            });
            assertThat(faults.get()).isNegative();
        } finally {
            intake.stop();
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    private static double rejected(MeterRegistry metrics, String reason) {
        var counter = metrics.find("courier.notifier.kafka.rejected")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
