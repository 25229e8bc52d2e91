package dev.courier.notifier;

/**
 * Text PostgreSQL can store and give back unchanged: no NUL character (refused by {@code text}, {@code varchar} and
 * {@code jsonb}) and no unpaired UTF-16 surrogate (which the driver cannot encode as UTF-8 and would replace). Input
 * from callers is refused when it is not storable; text from receivers is {@linkplain #sanitize made storable}.
 */
public final class StorableText {

    private static final char REPLACEMENT = '\uFFFD';

    private StorableText() {}

    /** Whether {@code text} (null counts as storable) can be stored and read back unchanged. */
    public static boolean isStorable(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code text} cut to at most {@code maxChars} characters (never between the two halves of a surrogate pair),
     * with NULs and unpaired surrogates replaced by U+FFFD; null stays null.
     */
    public static String sanitize(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        int end = Math.min(text.length(), maxChars);
        if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
