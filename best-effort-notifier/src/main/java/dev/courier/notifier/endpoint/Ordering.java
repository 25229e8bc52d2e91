package dev.courier.notifier.endpoint;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Whether an endpoint receives the deliveries of one ordering key one at a time, in acceptance order. A delivery
 * without an ordering key is never held back.
 */
public enum Ordering {
    /** Deliveries go in parallel, whatever their key (the default). */
    NONE("none", null),
    /** One at a time per key; a delivery that gives up releases the next of its key. */
    ORDERED("ordered", "release"),
    /** One at a time per key; a delivery that gives up holds its key until it is redelivered (and delivered or cancelled). */
    ORDERED_STOP("ordered-stop", "stop");

    private final String spec;
    private final String column;

    Ordering(String spec, String column) {
        this.spec = spec;
        this.column = column;
    }

    /** The name the API uses. */
    public String spec() {
        return spec;
    }

    /** The value of the {@code ordering} column; null for {@link #NONE}. */
    public String column() {
        return column;
    }

    public boolean ordered() {
        return this != NONE;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Ordering parse(String spec) {
        for (Ordering ordering : values()) {
            if (ordering.spec.equals(spec == null ? null : spec.toLowerCase(Locale.ROOT))) {
                return ordering;
            }
        }
        throw new IllegalArgumentException(
                "one of " + Arrays.stream(values()).map(Ordering::spec).collect(Collectors.joining(", ")));
    }

    static Ordering ofColumn(String column) {
        for (Ordering ordering : values()) {
            if (Objects.equals(ordering.column, column)) {
                return ordering;
            }
        }
        throw new IllegalStateException("unknown ordering " + column);
    }
}
