package dev.courier.relay.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.relay.source.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

    final RecordMapper mapper = new RecordMapper(new TopicRouter("outbox.event.", Map.of("payment", "payments")));

    @Test
    void mapsKeyValueTopicAndHeaders() {
        ProducerRecord<byte[], byte[]> record = mapper.toRecord(row("order", "{\"tenant\":\"acme\"}"));

        assertThat(record.topic()).isEqualTo("outbox.event.order");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("o-1");
        assertThat(record.value()).containsExactly(1, 2, 3);
        assertThat(header(record, "id")).isEqualTo("0190e0c0-0000-7000-8000-000000000001");
        assertThat(header(record, "type")).isEqualTo("OrderPlaced");
        assertThat(header(record, "aggregatetype")).isEqualTo("order");
        assertThat(header(record, "created_at")).isEqualTo("2026-11-21T10:15:30Z");
        assertThat(header(record, "tenant")).isEqualTo("acme");
    }

    @Test
    void usesTheTopicOverrideOfAnAggregateType() {
        assertThat(mapper.toRecord(row("payment", "{}")).topic()).isEqualTo("payments");
    }

    @Test
    void aUserHeaderCannotReplaceTheRelaysOwn() {
        ProducerRecord<byte[], byte[]> record = mapper.toRecord(row("order", "{\"id\":\"forged\",\"type\":\"X\"}"));

        assertThat(record.headers().headers("id")).hasSize(1);
        assertThat(header(record, "id")).isEqualTo("0190e0c0-0000-7000-8000-000000000001");
        assertThat(header(record, "type")).isEqualTo("OrderPlaced");
    }

    private static OutboxRecord row(String aggregateType, String headers) {
        return new OutboxRecord(
                "0190e0c0-0000-7000-8000-000000000001",
                aggregateType,
                "o-1",
                "OrderPlaced",
                new byte[] {1, 2, 3},
                headers,
                3,
                42,
                Instant.parse("2026-11-21T10:15:30Z"),
                0);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void writesTheMessageIdUnderTheConfiguredHeaderOnly() {
        RecordMapper renamed = new RecordMapper(new TopicRouter("outbox.event.", Map.of()), "message-id");

        ProducerRecord<byte[], byte[]> record = renamed.toRecord(row("order", "{\"message-id\":\"forged\"}"));

        assertThat(header(record, "message-id")).isEqualTo("0190e0c0-0000-7000-8000-000000000001");
        assertThat(record.headers().headers("message-id")).hasSize(1);
        assertThat(record.headers().lastHeader("id")).isNull();
    }
}
