package dev.courier.notifier.kafka;

import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.message.MessageIntake;
import dev.courier.notifier.notification.Intake;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a Kafka record into a notification submission (for one endpoint) or a message submission (for an application)
 * by its topic's rule: the value is the JSON body, the {@code type} header the event type, the {@code id} header (the
 * outbox message id) the idempotency key (together with the endpoint for a notification), {@code traceparent} the
 * trace context. A record without an {@code id} header is keyed by its coordinates, which still makes re-reading it
 * harmless.
 */
final class RecordTranslator {

    static final String SOURCE_PREFIX = "kafka:";

    /** One JSON value and nothing after it: {@code {} trailing} is no JSON body. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Map<String, NotifierProperties.Rule> rules;
    private final String idHeader;
    private final long maxBodyBytes;

    /** @param idHeader the header holding the relay's message id ({@code courier.notifier.kafka.id-header}) */
    RecordTranslator(List<NotifierProperties.Rule> rules, String idHeader, long maxBodyBytes) {
        this.idHeader = idHeader;
        this.rules = rules.stream().collect(Collectors.toMap(NotifierProperties.Rule::topic, rule -> rule, (a, b) -> {
            throw new IllegalArgumentException("courier.notifier.kafka.rules names topic " + a.topic() + " twice");
        }));
        this.maxBodyBytes = maxBodyBytes;
    }

    List<String> topics() {
        return List.copyOf(rules.keySet());
    }

    sealed interface Translation permits Accept, AcceptMessage, Reject, Skip {}

    /**
     * A notification for one endpoint.
     *
     * @param fixedTarget whether the rule names the endpoint (not a header): then a missing one is a configuration
     *     fault, not a bad record
     */
    record Accept(Intake.Submission submission, boolean fixedTarget) implements Translation {}

    /** A message for an application, fanned out to its subscribed endpoints. */
    record AcceptMessage(MessageIntake.Submission submission, boolean fixedTarget) implements Translation {}

    record Reject(String reason, String detail) implements Translation {}

    /** A record the rule filters out (another event type). */
    record Skip() implements Translation {}

    Translation translate(ConsumerRecord<byte[], byte[]> record) {
        NotifierProperties.Rule rule = rules.get(record.topic());
        String type = header(record, "type");
        if (!rule.eventTypes().isEmpty() && (type == null || !rule.eventTypes().contains(type))) {
            return new Skip();
        }
        UUID endpointId = rule.endpointId();
        String application = rule.application();
        if (rule.toApplication() && application == null) {
            application = header(record, rule.applicationHeader());
            if (application == null || application.isBlank()) {
                return new Reject("no-application", "header " + rule.applicationHeader() + " holds no application id");
            }
            application = application.trim();
        } else if (!rule.toApplication() && endpointId == null) {
            String value = header(record, rule.endpointHeader());
            try {
                endpointId = UUID.fromString(value == null ? "" : value.trim());
            } catch (IllegalArgumentException e) {
                return new Reject("no-endpoint", "header " + rule.endpointHeader() + " holds no endpoint id");
            }
        }
        if (record.value() == null) {
            return new Reject("invalid", "the record has no value");
        }
        if (record.value().length > maxBodyBytes) {
            return new Reject("too-large", record.value().length + " bytes, more than " + maxBodyBytes);
        }
        // Decoded strictly: a lenient decode would swap broken bytes for U+FFFD, and the receiver would get other bytes
        // than the producer wrote.
        String body = strictUtf8(record.value());
        if (body == null) {
            return new Reject("invalid", "the value is not UTF-8");
        }
        try {
            JSON.readTree(body);
        } catch (RuntimeException e) {
            return new Reject("invalid", "the value is not JSON");
        }
        String messageId = header(record, idHeader);
        String recordKey =
                messageId != null ? messageId : record.topic() + "-" + record.partition() + "@" + record.offset();
        String eventType =
                type != null ? type : rule.defaultEventType() != null ? rule.defaultEventType() : record.topic();
        String orderingKey =
                rule.orderingKeyHeader() != null ? header(record, rule.orderingKeyHeader()) : strictUtf8(record.key());
        String traceparent = header(record, "traceparent");
        String tracestate = header(record, "tracestate");
        if (application != null) {
            // One message per record and application: its deliveries carry the key on to each endpoint.
            return new AcceptMessage(
                    new MessageIntake.Submission(
                            application,
                            SOURCE_PREFIX + record.topic(),
                            recordKey,
                            eventType,
                            List.of(),
                            body,
                            Map.of(),
                            traceparent,
                            tracestate,
                            orderingKey),
                    rule.application() != null);
        }
        return new Accept(
                new Intake.Submission(
                        endpointId,
                        SOURCE_PREFIX + record.topic(),
                        recordKey + "/" + endpointId,
                        eventType,
                        body,
                        Map.of(),
                        traceparent,
                        tracestate,
                        orderingKey),
                rule.endpointId() != null);
    }

    /** The bytes as UTF-8 text, or null when there are none or they are not UTF-8. */
    private static String strictUtf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
