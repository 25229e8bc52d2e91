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

    /** Looks for work now, e.g. after a parked message was replayed. */
    void wakeUp();

    /** False while this relay's coordination (leases, leadership) is failing. */
    boolean healthy();

    /** Mode-specific state for health and status output. */
    Map<String, Object> details();
}
