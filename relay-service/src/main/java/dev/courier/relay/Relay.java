package dev.courier.relay;

import java.util.Map;

/** A running relay, in whichever mode: what health, metrics and the admin API need of it. */
public interface Relay {

    /** {@code polling} or {@code cdc}. */
    String mode();

    /** This process's name among the relays of the outbox. */
    String member();

    /** Stops handing messages to Kafka until {@link #resume()}; in-flight ones finish. */
    void pause();

    void resume();

    boolean paused();

    /**
     * Releases the key of the parked message {@code parkedId}: replays the message ahead of the later ones of its key,
     * or skips it. Polling mode does it in the database at once; cdc mode records the request, which the leader carries
     * out from its change stream within a heartbeat (sooner: this relay writes a wake-up into the WAL).
     *
     * @return false when no message with this id is parked
     */
    boolean release(String parkedId, Release release);

    /** False while this relay's coordination (leases, leadership) is failing. */
    boolean healthy();

    /** Mode-specific state for health and status output. */
    Map<String, Object> details();
}
