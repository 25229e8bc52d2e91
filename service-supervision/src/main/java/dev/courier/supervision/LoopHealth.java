package dev.courier.supervision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one supervised background loop: failing since an unexpected failure until its next successful round.
 * Shown in health (DOWN while failing, see {@link LoopHealthIndicator}) and as metrics: {@code <prefix>.up{loop}} (1
 * or 0) and {@code <prefix>.failures{loop}}. A loop that stops for good must say so with {@link #stopped}; a loop that
 * is not running is never reported UP.
 *
 * <p>A loop either reports each round itself ({@link #succeeded}, {@link #failed}) or runs its rounds through
 * {@link #guard}, which catches whatever a round throws, {@link Error}s included: a scheduled task that throws is
 * never run again by its executor, so an unguarded round ends its loop silently.
 */
public final class LoopHealth {

    private static final Logger log = LoggerFactory.getLogger(LoopHealth.class);

    /** One round of a loop. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    private final String name;
    private final Counter failures;
    private volatile boolean running;
    private volatile Instant failingSince;
    private volatile String lastError;

    /**
     * @param prefix the meters' name prefix, e.g. {@code courier.relay.loop}
     * @param name the loop's name, the {@code loop} tag
     */
    public LoopHealth(String prefix, String name, MeterRegistry registry) {
        this.name = name;
        this.failures = Counter.builder(prefix + ".failures")
                .description("Unexpected failures of a background loop (each followed by a back-off and a retry)")
                .tag("loop", name)
                .register(registry);
        Gauge.builder(prefix + ".up", this, loop -> loop.isUp() ? 1 : 0)
                .description("1 while a background loop runs without failing")
                .tag("loop", name)
                .register(registry);
    }

    public String name() {
        return name;
    }

    /** The loop (re)started. */
    public void started() {
        running = true;
    }

    /**
     * A round went well: the loop is healthy again.
     *
     * @return whether this ends a spell of failures
     */
    public boolean succeeded() {
        boolean recovered = failingSince != null;
        failingSince = null;
        return recovered;
    }

    /**
     * A round failed; the loop backs off and goes on.
     *
     * @return whether this is the first failure of a spell (callers log that one, not every retry)
     */
    public boolean failed(Throwable failure) {
        failures.increment();
        lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (failingSince != null) {
            return false;
        }
        failingSince = Instant.now();
        return true;
    }

    /** The loop ended (stopped on purpose, or gave up). */
    public void stopped() {
        running = false;
    }

    /**
     * {@code round} as a task that never throws: each run reports success or failure here, and the first failure of
     * a spell is logged with its trace, the recovery once. The loop counts as started from now. An interruption is
     * passed on (the thread's flag is set again) and counts as no failure.
     */
    public Runnable guard(Round round) {
        started();
        return () -> {
            try {
                round.run();
                if (succeeded()) {
                    log.info("Loop {} recovered", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                if (failed(e)) {
                    log.warn("Loop {} failed; it retries and reports DOWN until a round succeeds", name, e);
                } else {
                    log.debug("Loop {} failed again: {}", name, lastError);
                }
            }
        };
    }

    public boolean isUp() {
        return running && failingSince == null;
    }

    /** Health details: running, failing since, last error. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", running);
        if (failingSince != null) {
            details.put("failingSince", failingSince.toString());
        }
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        return details;
    }
}
