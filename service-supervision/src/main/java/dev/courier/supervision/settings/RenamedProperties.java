package dev.courier.supervision.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keys a service has renamed, kept working for one version: each old key found in the environment (any source,
 * relaxed names included) is added under its new name below every source of the application's own, with a
 * deprecation warning. Where both are set the new key wins, and the warning says so. For an
 * {@code EnvironmentPostProcessor} ordered after the application's configuration has been loaded.
 */
public final class RenamedProperties {

    private final Log log;
    private final String removedIn;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, String> maps = new LinkedHashMap<>();

    /**
     * @param log where the deprecation warnings go (a deferred log, during start-up)
     * @param removedIn the version that drops the old keys, for the warnings
     */
    public RenamedProperties(Log log, String removedIn) {
        this.log = log;
        this.removedIn = removedIn;
    }

    /** A key with one value. */
    public RenamedProperties key(String old, String current) {
        keys.put(old, current);
        return this;
    }

    /** A map of free-form names ({@code old.<name>} becomes {@code current[<name>]}). */
    public RenamedProperties map(String old, String current) {
        maps.put(old, current);
        return this;
    }

    /** Adds the old keys' values under their new names as property source {@code sourceName}, if any is set. */
    public void applyTo(ConfigurableEnvironment environment, String sourceName) {
        Binder binder = Binder.get(environment);
        Map<String, Object> mapped = new LinkedHashMap<>();
        keys.forEach((old, current) ->
                binder.bind(old, String.class).ifBound(value -> carry(binder, old, current, value, mapped)));
        maps.forEach((old, current) -> binder.bind(old, Bindable.mapOf(String.class, String.class))
                .ifBound(values -> values.forEach(
                        (name, value) -> carry(binder, old + "." + name, current + "[" + name + "]", value, mapped))));
        if (!mapped.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(sourceName, mapped));
        }
    }

    private void carry(Binder binder, String old, String current, String value, Map<String, Object> mapped) {
        String set = binder.bind(current, String.class).orElse(null);
        if (set == null) {
            mapped.put(current, value);
            log.warn(old + " is deprecated and will be removed in " + removedIn + ": use " + current);
        } else if (!Objects.equals(set, value)) {
            log.warn(old + " is deprecated and ignored: " + current + " is set too, and wins");
        } else {
            log.warn(old + " is deprecated and will be removed in " + removedIn + ": " + current + " is set already");
        }
    }
}
