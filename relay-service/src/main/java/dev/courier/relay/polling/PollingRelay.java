package dev.courier.relay.polling;

import dev.courier.relay.Relay;
import dev.courier.relay.Release;
import dev.courier.relay.engine.RelayEngine;
import dev.courier.relay.lease.LeaseCoordinator;
import dev.courier.relay.park.PollingParking;
import dev.courier.relay.wakeup.NotifyListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling mode assembled: engine, lease coordinator and (PostgreSQL) NOTIFY listener, started in that order and
 * stopped in reverse, so that a clean stop finishes in-flight batches and hands every partition over at once.
 */
public final class PollingRelay implements Relay, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PollingRelay.class);

    private final RelayEngine engine;
    private final LeaseCoordinator leases;
    private final NotifyListener listener;
    private final PollingParking parking;

    /** @param listener null on MySQL/MariaDB or when LISTEN is switched off */
    public PollingRelay(RelayEngine engine, LeaseCoordinator leases, NotifyListener listener, PollingParking parking) {
        this.engine = engine;
        this.leases = leases;
        this.listener = listener;
        this.parking = parking;
    }

    public void start() {
        engine.start();
        leases.start();
        if (listener != null) {
            listener.start();
        }
        log.info("Relay {} started in polling mode", leases.member());
    }

    public RelayEngine engine() {
        return engine;
    }

    public LeaseCoordinator leases() {
        return leases;
    }

    public boolean listening() {
        return listener != null && listener.connected();
    }

    @Override
    public String mode() {
        return "polling";
    }

    @Override
    public String member() {
        return leases.member();
    }

    @Override
    public void pause() {
        engine.pause();
    }

    @Override
    public void resume() {
        engine.resume();
    }

    @Override
    public boolean paused() {
        return engine.paused();
    }

    @Override
    public boolean release(String parkedId, Release release) {
        if (!parking.release(parkedId, release)) {
            return false;
        }
        engine.wakeUp();
        return true;
    }

    @Override
    public boolean healthy() {
        return leases.healthy();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("leases", leases.healthy() ? "renewed" : "renewal failing");
        details.put("ownedPartitions", engine.owned());
        details.put("listening", listening());
        return details;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        engine.close();
        leases.close();
        log.info("Relay {} stopped; its partitions are released", leases.member());
    }
}
