package dev.courier.relay.publish;

import dev.courier.outbox.schema.OutboxTable;
import dev.courier.relay.source.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbox row to Kafka record: key = aggregate id, value = payload bytes unchanged, headers = the relay's own (the
 * message id, by default under {@value #ID}, and {@value #TYPE}, {@value #AGGREGATE_TYPE}, {@value #CREATED_AT})
 * followed by the user's. A user header with one of the relay's names is not copied: the relay's value is the truth.
 */
public final class RecordMapper {

    public static final String ID = OutboxTable.ID;
    public static final String TYPE = OutboxTable.TYPE;
    public static final String AGGREGATE_TYPE = OutboxTable.AGGREGATE_TYPE;
    public static final String CREATED_AT = OutboxTable.CREATED_AT;
    /** The relay's headers besides the message id, whose name is configurable. */
    public static final Set<String> FIXED = Set.of(TYPE, AGGREGATE_TYPE, CREATED_AT);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final TopicRouter topics;
    private final String idHeader;

    /** A mapper that writes the message id under {@value #ID}. */
    public RecordMapper(TopicRouter topics) {
        this(topics, ID);
    }

    /** @param idHeader the header of the message id ({@code courier.relay.kafka.id-header}) */
    public RecordMapper(TopicRouter topics, String idHeader) {
        this.topics = topics;
        this.idHeader = idHeader;
    }

    public ProducerRecord<byte[], byte[]> toRecord(OutboxRecord row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(idHeader, utf8(row.id()));
        headers.add(TYPE, utf8(row.type()));
        headers.add(AGGREGATE_TYPE, utf8(row.aggregateType()));
        headers.add(CREATED_AT, utf8(row.createdAt().toString()));
        userHeaders(row.headersJson()).forEach((name, value) -> {
            if (!name.equals(idHeader) && !FIXED.contains(name)) {
                headers.add(name, utf8(value));
            }
        });
        return new ProducerRecord<>(
                topics.topicOf(row.aggregateType()), null, utf8(row.aggregateId()), row.payload(), headers);
    }

    private static Map<String, String> userHeaders(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) {
            return Map.of();
        }
        return JSON.readValue(json, HEADERS);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
