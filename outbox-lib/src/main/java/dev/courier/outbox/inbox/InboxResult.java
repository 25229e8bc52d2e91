package dev.courier.outbox.inbox;

/**
 * What became of a received message.
 *
 * @param value what the work returned; {@code null} for a duplicate
 */
public record InboxResult<T>(Outcome outcome, T value) {

    public enum Outcome {
        /** The id was new: the work ran and its transaction is the one that recorded the id. */
        PROCESSED,
        /** The id was already recorded: the work was skipped. */
        DUPLICATE
    }

    public static <T> InboxResult<T> processed(T value) {
        return new InboxResult<>(Outcome.PROCESSED, value);
    }

    public static <T> InboxResult<T> duplicate() {
        return new InboxResult<>(Outcome.DUPLICATE, null);
    }

    public boolean isDuplicate() {
        return outcome == Outcome.DUPLICATE;
    }
}
