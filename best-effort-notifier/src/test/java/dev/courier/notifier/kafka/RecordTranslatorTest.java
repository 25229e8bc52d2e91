package dev.courier.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.notifier.NotifierProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordTranslatorTest {

    static final String TOPIC = "outbox.event.payment";
    static final UUID ENDPOINT = UUID.randomUUID();

    final RecordTranslator translator = new RecordTranslator(
            List.of(new NotifierProperties.Rule(TOPIC, null, "merchant-endpoint", List.of(), null, null, null, null)),
            "id",
            64 * 1024);

    static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 0, 7, null, value);
        record.headers().add("id", "m-1".getBytes(StandardCharsets.UTF_8));
        record.headers().add("type", "payment.succeeded".getBytes(StandardCharsets.UTF_8));
        record.headers().add("merchant-endpoint", ENDPOINT.toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void aValueThatIsNotUtf8IsRejectedInsteadOfStoredWithReplacementCharacters() {
        byte[] brokenUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};

        assertThat(translator.translate(record(brokenUtf8)))
                .isEqualTo(new RecordTranslator.Reject("invalid", "the value is not UTF-8"));
    }

    @Test
    void aValueWithTextAfterItsJsonIsRejected() {
        assertThat(translator.translate(record("{} trailing".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new RecordTranslator.Reject("invalid", "the value is not JSON"));
    }

    @Test
    void anAcceptedValueIsTheBodyAsWrittenKeyedByIdAndEndpoint() {
        String value = "{\"amount\": 1e400, \"name\": \"\u00e9\u4e2d\ud83d\ude00\"}";

        var translation = translator.translate(record(value.getBytes(StandardCharsets.UTF_8)));

        assertThat(translation).isInstanceOfSatisfying(RecordTranslator.Accept.class, accept -> {
            assertThat(accept.submission().body()).isEqualTo(value);
            assertThat(accept.submission().idempotencyKey()).isEqualTo("m-1/" + ENDPOINT);
            assertThat(accept.submission().eventType()).isEqualTo("payment.succeeded");
        });
    }

    @Test
    void theMessageIdIsReadFromTheConfiguredHeader() {
        RecordTranslator renamed = new RecordTranslator(
                List.of(new NotifierProperties.Rule(
                        TOPIC, null, "merchant-endpoint", List.of(), null, null, null, null)),
                "message-id",
                64 * 1024);
        ConsumerRecord<byte[], byte[]> record = record("{}".getBytes(StandardCharsets.UTF_8));
        record.headers().add("message-id", "m-2".getBytes(StandardCharsets.UTF_8));

        assertThat(renamed.translate(record))
                .isInstanceOfSatisfying(
                        RecordTranslator.Accept.class,
                        accept ->
                                assertThat(accept.submission().idempotencyKey()).isEqualTo("m-2/" + ENDPOINT));
    }

    @Test
    void aRecordOfAnApplicationTopicBecomesOneMessageKeyedByItsId() {
        RecordTranslator byHeader = new RecordTranslator(
                List.of(new NotifierProperties.Rule(TOPIC, null, null, List.of(), null, null, "merchant", null)),
                "id",
                64 * 1024);
        ConsumerRecord<byte[], byte[]> record = record("{}".getBytes(StandardCharsets.UTF_8));
        record.headers().add("merchant", " shop-7 ".getBytes(StandardCharsets.UTF_8));

        assertThat(byHeader.translate(record)).isInstanceOfSatisfying(RecordTranslator.AcceptMessage.class, message -> {
            assertThat(message.submission().applicationId()).isEqualTo("shop-7");
            assertThat(message.submission().idempotencyKey()).isEqualTo("m-1");
            assertThat(message.submission().eventType()).isEqualTo("payment.succeeded");
            assertThat(message.fixedTarget()).isFalse();
        });
        assertThat(byHeader.translate(record("{}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new RecordTranslator.Reject("no-application", "header merchant holds no application id"));
    }

    @Test
    void aFixedApplicationIsMarkedSoThatItsAbsenceIsNotTheRecordsFault() {
        RecordTranslator fixed = new RecordTranslator(
                List.of(new NotifierProperties.Rule(TOPIC, null, null, List.of(), null, "shop-1", null, null)),
                "id",
                64 * 1024);

        assertThat(fixed.translate(record("{}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(RecordTranslator.AcceptMessage.class, message -> {
                    assertThat(message.submission().applicationId()).isEqualTo("shop-1");
                    assertThat(message.fixedTarget()).isTrue();
                });
    }

    @Test
    void theOrderingKeyIsTheRecordKeyOrTheConfiguredHeader() {
        ConsumerRecord<byte[], byte[]> keyed = new ConsumerRecord<>(
                TOPIC, 0, 8, "order-42".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        keyed.headers().add("merchant-endpoint", ENDPOINT.toString().getBytes(StandardCharsets.UTF_8));
        keyed.headers().add("customer", "c-9".getBytes(StandardCharsets.UTF_8));
        RecordTranslator byHeader = new RecordTranslator(
                List.of(new NotifierProperties.Rule(
                        TOPIC, null, "merchant-endpoint", List.of(), null, null, null, "customer")),
                "id",
                64 * 1024);

        assertThat(translator.translate(keyed))
                .isInstanceOfSatisfying(
                        RecordTranslator.Accept.class,
                        accept -> assertThat(accept.submission().orderingKey()).isEqualTo("order-42"));
        assertThat(byHeader.translate(keyed))
                .isInstanceOfSatisfying(
                        RecordTranslator.Accept.class,
                        accept -> assertThat(accept.submission().orderingKey()).isEqualTo("c-9"));
        assertThat(translator.translate(record("{}".getBytes(StandardCharsets.UTF_8))))
                .as("a record without a key is in no order")
                .isInstanceOfSatisfying(
                        RecordTranslator.Accept.class,
                        accept -> assertThat(accept.submission().orderingKey()).isNull());
    }
}
