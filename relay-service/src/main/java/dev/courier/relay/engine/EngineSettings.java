package dev.courier.relay.engine;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * How the engine paces itself.
 *
 * @param batchSize rows fetched and sent per partition at a time
 * @param safetyInterval the poll that runs even without any wake-up; the longest adaptive interval
 * @param minInterval the shortest adaptive poll interval
 * @param adaptive true when no NOTIFY wakes the engine (MySQL/MariaDB): poll faster while rows keep coming
 * @param maxAttempts failed attempts of one message before it is parked
 * @param backoff pause of a partition after its n-th consecutive failure, and of the engine while a circuit is open
 * @param shutdownTimeout how long a clean stop waits for in-flight batches
 * @param fetchFloors whether fetches start above the rows already published where the database allows it
 *     ({@link FetchFloors})
 */
public record EngineSettings(
        int batchSize,
        Duration safetyInterval,
        Duration minInterval,
        boolean adaptive,
        int maxAttempts,
        IntervalFunction backoff,
        Duration shutdownTimeout,
        boolean fetchFloors) {}
