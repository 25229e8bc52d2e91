package dev.courier.outbox;

/** Thrown, inside the caller's transaction, when a serialized payload exceeds the configured limit. */
public final class PayloadTooLargeException extends OutboxException {

    private final long size;
    private final long limit;

    public PayloadTooLargeException(long size, long limit) {
        super("Outbox payload of " + size + " bytes exceeds the limit of " + limit
                + " bytes (courier.outbox.max-payload-size)");
        this.size = size;
        this.limit = limit;
    }

    /** The size of the rejected payload in bytes. */
    public long size() {
        return size;
    }

    /** The configured limit in bytes. */
    public long limit() {
        return limit;
    }
}
