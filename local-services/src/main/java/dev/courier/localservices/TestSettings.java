package dev.courier.localservices;

import java.util.Locale;
import java.util.Optional;

/**
 * Explicit settings of the harness: a system property {@code courier.test.x.y} wins over the environment variable
 * {@code COURIER_TEST_X_Y}.
 */
public final class TestSettings {

    private TestSettings() {}

    /** The setting {@code courier.test.<name>}, e.g. {@code postgres.url}. */
    public static Optional<String> get(String name) {
        String property = System.getProperty("courier.test." + name);
        if (property != null && !property.isBlank()) {
            return Optional.of(property);
        }
        String variable = System.getenv(environmentName(name));
        return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(variable);
    }

    /** {@code postgres.url} becomes {@code COURIER_TEST_POSTGRES_URL}. */
    public static String environmentName(String name) {
        return "COURIER_TEST_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
