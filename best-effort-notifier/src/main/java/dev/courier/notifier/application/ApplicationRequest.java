package dev.courier.notifier.application;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.StorableText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/applications} and {@code PATCH /api/applications/{id}}: absent fields take their
 * defaults on create and keep their values on update.
 */
public record ApplicationRequest(String id, String name, Integer ratePerSecond, Integer maxConcurrency) {

    /**
     * An application id: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit.
     * It appears in URL paths, so it never needs escaping and no spelling of it is a dot segment.
     */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Whether {@code text} can be an application id ({@link #ID}); other text is never sent to the database. */
    public static boolean isId(String text) {
        return text != null && ID.matcher(text).matches();
    }

    public static final int DEFAULT_RATE = 1000;
    public static final int DEFAULT_CONCURRENCY = 100;

    /** The settings a new application gets from this request, or every problem at once. */
    Application forCreate() {
        List<String> errors = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            errors.add("id: required, 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Application application =
                merge(new Application(id, null, DEFAULT_RATE, DEFAULT_CONCURRENCY, null, null), errors);
        throwIfAny(errors);
        return application;
    }

    /** {@code current} changed by this request, or every problem at once. */
    Application forUpdate(Application current) {
        List<String> errors = new ArrayList<>();
        if (id != null && !id.equals(current.id())) {
            errors.add("id: cannot change");
        }
        Application application = merge(current, errors);
        throwIfAny(errors);
        return application;
    }

    private Application merge(Application base, List<String> errors) {
        String newName = name == null ? base.name() : name;
        if (newName != null && (newName.length() > 256 || !StorableText.isStorable(newName))) {
            errors.add("name: at most 256 characters, without NUL or unpaired surrogates");
        }
        int rate = ratePerSecond == null ? base.ratePerSecond() : ratePerSecond;
        if (rate < 1 || rate > 100_000) {
            errors.add("ratePerSecond: must be 1 to 100000");
        }
        int concurrency = maxConcurrency == null ? base.maxConcurrency() : maxConcurrency;
        if (concurrency < 1 || concurrency > 10_000) {
            errors.add("maxConcurrency: must be 1 to 10000");
        }
        return new Application(base.id(), newName, rate, concurrency, base.createdAt(), base.updatedAt());
    }

    private static void throwIfAny(List<String> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
