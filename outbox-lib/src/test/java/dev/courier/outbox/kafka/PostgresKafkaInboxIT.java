package dev.courier.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.EmbeddedKafka;
import dev.courier.outbox.Database;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.schema.OutboxSchema;
import dev.courier.outbox.spring.IdempotentKafkaListener;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A spring-kafka container consumes records of the relay's shape through the inbox: each message's work commits once
 * however often its record is consumed, a work that fails is retried without leaving a trace, and a record without a
 * message id is not retried.
 */
class PostgresKafkaInboxIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String RUN = Long.toString(System.nanoTime(), 36);

    @BeforeAll
    static void schema() throws Exception {
        new OutboxSchema(Database.POSTGRESQL, "courier_outbox", "courier_inbox").migrate(DB.dataSource());
        try (Connection c = DB.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS applied_payment (message_id TEXT NOT NULL, payment TEXT NOT NULL)");
        }
    }

    @Test
    void eachMessageIsAppliedOnceThroughTheInbox() {
        String topic = "outbox.event.payment." + RUN;
        List<String> ids = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        String failsOnce = UUID.randomUUID().toString();
        KafkaInbox inbox = new KafkaInbox(Inbox.builder(DB.dataSource()).build(), "payments-" + RUN);
        List<Exception> skipped = new CopyOnWriteArrayList<>();
        ConcurrentMessageListenerContainer<byte[], byte[]> container = container(
                topic,
                new IdempotentKafkaListener<byte[], byte[]>(inbox, (record, connection) -> {
                    String id = inbox.messageId(record);
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO applied_payment (message_id, payment) VALUES (?, ?)")) {
                        insert.setString(1, id);
                        insert.setString(2, new String(record.value(), StandardCharsets.UTF_8));
                        insert.executeUpdate();
                    }
                    if (id.equals(failsOnce)
                            && attempts.computeIfAbsent(id, x -> new AtomicInteger())
                                            .incrementAndGet()
                                    == 1) {
                        throw new IllegalStateException("the first attempt fails after its insert");
                    }
                }),
                skipped);
        container.start();
        try (KafkaProducer<byte[], byte[]> producer = EmbeddedKafka.byteProducer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                String id = i == 4 ? failsOnce : UUID.randomUUID().toString();
                ids.add(id);
                producer.send(record(topic, id, "pay-" + i));
            }
            // The relay delivers at least once: the same messages again, as after a relay crash.
            for (int i = 0; i < 5; i++) {
                producer.send(record(topic, ids.get(i), "pay-" + i));
            }
            producer.send(record(topic, null, "no id"));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(applied()).hasSize(10);
                assertThat(skipped)
                        .singleElement()
                        .satisfies(e -> assertThat(e).hasRootCauseInstanceOf(MissingMessageIdException.class));
            });
            assertThat(applied())
                    .containsOnlyKeys(ids)
                    .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
            assertThat(attempts.get(failsOnce)).hasValue(2);
        } finally {
            container.stop();
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String id, String value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topic, null, "key".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        if (id != null) {
            record.headers().add(KafkaInbox.DEFAULT_ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static Map<String, Integer> applied() {
        Map<String, Integer> counts = new HashMap<>();
        JdbcClient.create(DB.dataSource())
                .sql("SELECT message_id, count(*) AS n FROM applied_payment GROUP BY message_id")
                .query(rs -> {
                    counts.put(rs.getString("message_id"), rs.getInt("n"));
                });
        return counts;
    }

    private static ConcurrentMessageListenerContainer<byte[], byte[]> container(
            String topic, IdempotentKafkaListener<byte[], byte[]> listener, List<Exception> skipped) {
        Map<String, Object> consumer = new HashMap<>(EmbeddedKafka.clientSettings());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "inbox-it-" + RUN);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setMessageListener(listener);
        ConcurrentMessageListenerContainer<byte[], byte[]> container =
                new ConcurrentMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(consumer), properties);
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> skipped.add(e), new FixedBackOff(100, 5));
        errors.addNotRetryableExceptions(MissingMessageIdException.class);
        container.setCommonErrorHandler(errors);
        return container;
    }
}
