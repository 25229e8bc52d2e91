package dev.courier.notifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one supervised background loop: failing since an unexpected failure until its next successful round.
 * Shown in health (DOWN while failing) and as metrics: {@code courier.notifier.loop.up{loop}} (1 or 0) and
 * {@code courier.notifier.loop.failures{loop}}. A loop that stops for good must say so with {@link #stopped}; a
 * loop that is not running is never reported UP.
 */
public final class LoopHealth {

    private final String name;
    private final Counter failures;
    private volatile boolean running;
    private volatile Instant failingSince;
    private volatile String lastError;

    public LoopHealth(String name, MeterRegistry registry) {
        this.name = name;
        this.failures = Counter.builder("courier.notifier.loop.failures")
                .description("Unexpected failures of a background loop (each followed by a back-off and a restart)")
                .tag("loop", name)
                .register(registry);
        Gauge.builder("courier.notifier.loop.up", this, loop -> loop.isUp() ? 1 : 0)
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

    /** A round went well: the loop is healthy again. */
    public void succeeded() {
        failingSince = null;
    }

    /** A round failed unexpectedly; the loop backs off and goes on. */
    public void failed(Throwable failure) {
        failures.increment();
        lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (failingSince == null) {
            failingSince = Instant.now();
        }
    }

    /** The loop ended (stopped on purpose, or gave up). */
    public void stopped() {
        running = false;
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
