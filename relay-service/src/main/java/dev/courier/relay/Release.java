package dev.courier.relay;

/** What an operator does with a parked message; either way its key flows again. */
public enum Release {
    /** Publish the message again, ahead of the later messages of its key. */
    REPLAY("REPLAYED"),
    /** Give up on the message; it stays in the parking table. */
    SKIP("SKIPPED");

    private final String resolvedStatus;

    Release(String resolvedStatus) {
        this.resolvedStatus = resolvedStatus;
    }

    /** The parked message's status once the release is done. */
    public String resolvedStatus() {
        return resolvedStatus;
    }
}
