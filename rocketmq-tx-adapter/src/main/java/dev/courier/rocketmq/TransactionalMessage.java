package dev.courier.rocketmq;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One message to send with a local transaction.
 *
 * @param key the message key (RocketMQ {@code KEYS}): what consumers and operators look messages up by, e.g. the order
 *     id; may be null
 * @param tags the RocketMQ tag consumers filter on; may be null
 * @param headers user properties of the message
 * @param transactionId the fence row's key; null for a fresh random id (the usual case). Set your own, unique per send,
 *     to find a message's fence row by a business id; a send whose id is already in the fence table is fenced off:
 *     its work does not run and the message is rolled back
 */
public record TransactionalMessage(
        String topic, String key, String tags, byte[] payload, Map<String, String> headers, String transactionId) {

    /** The fence table's {@code tx_id} column length. */
    public static final int MAX_TRANSACTION_ID_LENGTH = 64;

    /** Property names RocketMQ uses itself (and Courier's transaction id): not allowed as headers. */
    private static final Set<String> RESERVED = Set.of(
            "KEYS",
            "TAGS",
            "WAIT",
            "DELAY",
            "RETRY_TOPIC",
            "REAL_TOPIC",
            "REAL_QID",
            "TRAN_MSG",
            "PGROUP",
            "MIN_OFFSET",
            "MAX_OFFSET",
            "BUYER_ID",
            "ORIGIN_MESSAGE_ID",
            "TRANSFER_FLAG",
            "CORRECTION_FLAG",
            "MQ2_FLAG",
            "RECONSUME_TIME",
            "MSG_REGION",
            "TRACE_ON",
            "UNIQ_KEY",
            "MAX_RECONSUME_TIMES",
            "CONSUME_START_TIME",
            "TRANSACTION_CHECK_TIMES",
            "CHECK_IMMUNITY_TIME_IN_SECONDS",
            "SHARDING_KEY",
            TransactionalSender.TRANSACTION_ID_PROPERTY);

    public TransactionalMessage {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        if (!topic.matches("[%|a-zA-Z0-9_-]{1,127}")) {
            throw new IllegalArgumentException(
                    "topic '" + topic + "' is not a valid RocketMQ topic name (letters, digits, %, |, _ and -; at"
                            + " most 127 characters)");
        }
        Objects.requireNonNull(payload, "payload");
        if (payload.length == 0) {
            throw new IllegalArgumentException("payload must not be empty (RocketMQ refuses empty bodies)");
        }
        if (transactionId != null && (transactionId.isBlank() || transactionId.length() > MAX_TRANSACTION_ID_LENGTH)) {
            throw new IllegalArgumentException("transactionId must be 1 to " + MAX_TRANSACTION_ID_LENGTH
                    + " characters and not blank, was '" + transactionId + "'");
        }
        headers = headers == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(headers));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().isBlank() || header.getValue() == null) {
                throw new IllegalArgumentException("header names must not be blank and values not null: " + header);
            }
            if (RESERVED.contains(header.getKey()) || header.getKey().startsWith("__")) {
                throw new IllegalArgumentException(
                        "header '" + header.getKey() + "' is reserved by RocketMQ or Courier");
            }
        }
    }

    public static TransactionalMessage of(String topic, String key, byte[] payload) {
        return new TransactionalMessage(topic, key, null, payload, Map.of(), null);
    }

    public TransactionalMessage withTags(String tags) {
        return new TransactionalMessage(topic, key, tags, payload, headers, transactionId);
    }

    public TransactionalMessage withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new TransactionalMessage(topic, key, tags, payload, more, transactionId);
    }

    public TransactionalMessage withTransactionId(String transactionId) {
        return new TransactionalMessage(topic, key, tags, payload, headers, transactionId);
    }
}
