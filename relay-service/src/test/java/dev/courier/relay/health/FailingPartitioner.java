package dev.courier.relay.health;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * A fault inside the Kafka client, for a relay running in the test's JVM: while {@link #fault} is set, every send
 * throws what it supplies (from {@code KafkaProducer.send}, as a closed producer or a broken plug-in would); otherwise
 * records go to the partition of their key, as with Kafka's default.
 */
public final class FailingPartitioner implements Partitioner {

    static volatile Supplier<Throwable> fault;

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        Supplier<Throwable> failing = fault;
        if (failing != null) {
            Throwable thrown = failing.get();
            if (thrown instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) thrown;
        }
        return Utils.toPositive(Utils.murmur2(keyBytes))
                % cluster.partitionsForTopic(topic).size();
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
