package dev.courier.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.converter.MessagingMessageConverter;
import org.springframework.messaging.Message;

/**
 * The clash {@link KafkaInbox} documents: Spring Messaging reserves the header {@code id} for a {@code UUID}. A
 * {@code @KafkaListener} method that takes the payload, a {@code Message} or a {@code @Header} has spring-kafka convert
 * the record with this converter, and the relay's {@code id} header (bytes) lands in that reserved slot, where
 * {@code getId()} fails for whatever reads it (Spring Integration, Spring Cloud Stream, message interceptors). Reading
 * the {@code ConsumerRecord} itself, or renaming the relay's header, avoids it.
 */
class SpringMessagingIdClashTest {

    final String relayId = UUID.randomUUID().toString();

    @Test
    void theRelaysIdHeaderLandsInSpringMessagingsReservedSlotWhereItBreaksGetId() {
        ConsumerRecord<String, String> record = record("id");

        Message<?> message = new MessagingMessageConverter().toMessage(record, null, null, String.class);

        assertThatThrownBy(() -> message.getHeaders().getId())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header 'id'");
        assertThat(new KafkaInbox(new UnusedInbox(), "payments").messageId(record))
                .isEqualTo(relayId);
    }

    @Test
    void underAnotherNameTheIdStaysOutOfSpringMessagingsWayAndTheInboxReadsIt() {
        ConsumerRecord<String, String> record = record("message-id");

        Message<?> message = new MessagingMessageConverter().toMessage(record, null, null, String.class);

        assertThat(message.getHeaders().getId()).isNull();
        assertThat(message.getHeaders().get("message-id")).isEqualTo(relayId.getBytes(StandardCharsets.UTF_8));
        assertThat(new KafkaInbox(new UnusedInbox(), "payments")
                        .withIdHeader("message-id")
                        .messageId(record))
                .isEqualTo(relayId);
    }

    private ConsumerRecord<String, String> record(String idHeader) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("outbox.event.payment", 0, 7L, "order-1", "{}");
        record.headers().add(idHeader, relayId.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
