package dev.courier.outbox.kafka;

import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxResult;
import dev.courier.outbox.inbox.InboxWork;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Runs a Kafka record's work at most once per consumer, however often the record is consumed: the record's message id
 * (the header the relay writes, {@value #DEFAULT_ID_HEADER} unless renamed) is recorded in the inbox in the same
 * database transaction as the work. It joins the transaction the caller has open (a {@code @Transactional} listener,
 * with outbox-lib's Spring support) or runs its own.
 *
 * <pre>{@code
 * @KafkaListener(topics = "outbox.event.payment")
 * void onPayment(ConsumerRecord<String, byte[]> record) {
 *     kafkaInbox.receive(record, connection -> applyPayment(connection, record.value()));
 * }
 * }</pre>
 *
 * <p>The id is read from the record's own headers. Spring Messaging reserves the header name {@code id} for a
 * {@code UUID} of its own: a {@code @KafkaListener} method that takes the payload, a {@code Message} or a
 * {@code @Header} has spring-kafka turn the record into a {@code Message}, the relay's {@code id} header lands in that
 * reserved slot, and {@code getId()} then fails for whatever reads it (Spring Integration, Spring Cloud Stream,
 * message interceptors). Take the {@code ConsumerRecord} (as above), or have the relay write the id under another
 * name ({@code courier.relay.kafka.id-header=message-id}) and read that ({@link #withIdHeader},
 * {@code courier.outbox.inbox.id-header}).
 */
public final class KafkaInbox {

    /** The header the relay writes the outbox message id to unless configured otherwise. */
    public static final String DEFAULT_ID_HEADER = "id";

    private final Inbox inbox;
    private final String consumer;
    private final String idHeader;

    /** @param consumer the inbox's consumer name: each consumer of a message processes it once */
    public KafkaInbox(Inbox inbox, String consumer) {
        this(inbox, consumer, DEFAULT_ID_HEADER);
    }

    private KafkaInbox(Inbox inbox, String consumer, String idHeader) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        if (idHeader == null || idHeader.isBlank()) {
            throw new IllegalArgumentException("the id header name must not be blank");
        }
        this.idHeader = idHeader;
    }

    /** This inbox reading the message id from {@code header} instead. */
    public KafkaInbox withIdHeader(String header) {
        return new KafkaInbox(inbox, consumer, header);
    }

    /**
     * Records the record's message id for this consumer and runs {@code work} in the same transaction, or skips
     * {@code work} when the id was recorded before.
     *
     * @throws MissingMessageIdException when the record has no usable message id: retrying cannot help
     */
    public <T> InboxResult<T> receive(ConsumerRecord<?, ?> record, InboxWork<T> work) {
        return inbox.receive(consumer, messageId(record), work);
    }

    /** The record's message id: the last value of the id header, strict UTF-8. */
    public String messageId(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(idHeader);
        if (header == null || header.value() == null) {
            throw new MissingMessageIdException(record, idHeader, "has no '" + idHeader + "' header");
        }
        String id;
        try {
            id = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header.value()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MissingMessageIdException(record, idHeader, "has a '" + idHeader + "' header that is not UTF-8");
        }
        if (id.isBlank() || id.length() > 255 || id.indexOf('\0') >= 0) {
            throw new MissingMessageIdException(
                    record,
                    idHeader,
                    "has a '" + idHeader + "' header that is blank, has NUL or exceeds 255 characters");
        }
        return id;
    }
}
