package dev.courier.outbox;

import java.util.regex.Pattern;

/** Validation of the table and channel names Courier puts into SQL text (they cannot be bind parameters). */
public final class SqlIdentifiers {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");

    private SqlIdentifiers() {}

    /**
     * Returns {@code name} when it is a plain SQL identifier of at most 48 characters (letters, digits, underscore;
     * not starting with a digit), short enough for the index names derived from it.
     *
     * @param what the setting's name, used in the error message
     */
    public static String require(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a plain SQL identifier (letters, digits and"
                    + " underscores, not starting with a digit, at most 48 characters), was '" + name + "'");
        }
        return name;
    }
}
