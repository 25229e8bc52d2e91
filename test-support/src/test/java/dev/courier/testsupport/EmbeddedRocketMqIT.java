package dev.courier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.localservices.rocketmq.EmbeddedRocketMq;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

class EmbeddedRocketMqIT {

    @Test
    void deliversWhatIsSent() throws Exception {
        String topic = "HarnessCheck";
        DefaultMQProducer producer = new DefaultMQProducer("harness-producer");
        producer.setNamesrvAddr(EmbeddedRocketMq.nameServer());
        producer.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> producer.send(new Message(topic, "probe".getBytes(StandardCharsets.UTF_8)))
                                    .getSendStatus()
                            == SendStatus.SEND_OK);
        } finally {
            producer.shutdown();
        }

        List<String> received = new CopyOnWriteArrayList<>();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("harness-consumer");
        consumer.setNamesrvAddr(EmbeddedRocketMq.nameServer());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            messages.forEach(m -> received.add(new String(m.getBody(), StandardCharsets.UTF_8)));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> received.contains("probe"));
        } finally {
            consumer.shutdown();
        }
        assertThat(received).contains("probe");
    }
}
