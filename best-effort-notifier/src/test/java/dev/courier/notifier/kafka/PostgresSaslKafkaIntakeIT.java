package dev.courier.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.kafka.KafkaProcess;
import dev.courier.localservices.kafka.SaslUser;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.notifier.support.Receiver;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The intake consumes from a broker that accepts SASL/PLAIN clients only, as production clusters do, with nothing
 * but Spring Boot's {@code spring.kafka.*} security settings; its consumer group is {@code spring.kafka.consumer.*}'s.
 */
class PostgresSaslKafkaIntakeIT {

    @RegisterExtension
    static final TestDatabaseExtension db = TestDatabaseExtension.postgres();

    static final SaslUser USER = new SaslUser("courier-notifier", "notifier-" + UUID.randomUUID());
    static final String TOPIC = "outbox.event.secured-payment";

    @Test
    void deliversRecordsConsumedFromASaslOnlyBroker() throws Exception {
        try (KafkaProcess kafka = KafkaProcess.startSaslOnly(USER);
                Receiver receiver = Receiver.start();
                NotifierInstance notifier = NotifierInstance.start(
                        db.database(),
                        "sasl-it",
                        Map.of(
                                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                                "spring.kafka.security.protocol", "SASL_PLAINTEXT",
                                "spring.kafka.properties.sasl.mechanism", "PLAIN",
                                "spring.kafka.properties.sasl.jaas.config", USER.jaasConfig(),
                                "spring.kafka.consumer.group-id", "secured-notifier",
                                "courier.notifier.kafka.rules[0].topic", TOPIC,
                                "courier.notifier.kafka.rules[0].endpoint-header", "merchant-endpoint"));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        new HashMap<>(kafka.clientSettings()), new ByteArraySerializer(), new ByteArraySerializer())) {
            String merchant = notifier.api()
                    .createEndpoint(Map.of("url", receiver.url("/secured")))
                    .path("id")
                    .asString();
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    TOPIC,
                    null,
                    "pay-1".getBytes(StandardCharsets.UTF_8),
                    "{\"paid\":true}".getBytes(StandardCharsets.UTF_8));
            record.headers().add("id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("type", "payment.succeeded".getBytes(StandardCharsets.UTF_8));
            record.headers().add("merchant-endpoint", merchant.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(receiver.requests("/secured"))
                            .singleElement()
                            .satisfies(request -> assertThat(request.body()).isEqualTo("{\"paid\":true}")));
            assertThat(notifier.api().get("/actuator/health").status()).isEqualTo(200);
        }
    }
}
