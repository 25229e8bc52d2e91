package dev.courier.relay.publish;

/** What became of one record of a batch. */
public sealed interface Outcome {

    /** Kafka acknowledged the record with {@code acks=all}. */
    record Acked(long ackedAtMillis) implements Outcome {}

    /**
     * Kafka refused the record or it could not be sent.
     *
     * @param retriable true for an outage (broker unreachable, timeouts, producer state): the record is blameless and
     *     is not charged an attempt; false for a fault of this record (too large, invalid topic, not authorized,
     *     unreadable headers)
     */
    record Failed(Throwable error, boolean retriable) implements Outcome {

        /** The error as stored with a parked message: its type and message. */
        public String description() {
            return error.getClass().getSimpleName() + ": " + error.getMessage();
        }
    }

    /** Not sent because an earlier record of the same key failed in this batch: sending it would break key order. */
    record Withheld() implements Outcome {}
}
