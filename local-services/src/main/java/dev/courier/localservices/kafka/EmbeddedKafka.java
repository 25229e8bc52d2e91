package dev.courier.localservices.kafka;

import dev.courier.localservices.ServiceUnavailableException;
import dev.courier.localservices.TestSettings;
import dev.courier.localservices.suite.SuiteResources;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker per test JVM: the one named by {@code courier.test.kafka.bootstrap-servers} (or
 * {@code COURIER_TEST_KAFKA_BOOTSTRAP_SERVERS}), otherwise an in-process KRaft broker (combined controller + broker)
 * started on first use and stopped when the test session ends.
 */
public final class EmbeddedKafka {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static String bootstrapServers;

    private EmbeddedKafka() {}

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = TestSettings.get("kafka.bootstrap-servers").orElseGet(EmbeddedKafka::start);
        }
        return bootstrapServers;
    }

    /** An admin client for the broker; the caller closes it. */
    public static Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(properties);
    }

    private static String start() {
        long started = System.nanoTime();
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "4")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            SuiteResources.register("the in-process Kafka broker", () -> close(cluster));
            log.info(
                    "In-process Kafka ready at {} in {} ms",
                    cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new ServiceUnavailableException(
                    "Could not start the in-process Kafka broker (" + e + "); point the tests at a running broker with "
                            + TestSettings.environmentName("kafka.bootstrap-servers"),
                    e);
        }
    }

    private static void close(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("Kafka test broker did not stop cleanly: {}", e.toString());
        }
    }

    /** Settings every test producer and consumer of this broker needs. */
    public static Map<String, Object> clientSettings() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** A producer of raw bytes to this broker, with {@code overrides} on top of the client settings. */
    public static KafkaProducer<byte[], byte[]> byteProducer(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(clientSettings());
        settings.putAll(overrides);
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
