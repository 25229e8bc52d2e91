package dev.courier.testsupport.hostile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Spellings of a request path that a router may resolve to the same handler while a naive filter sees another
 * path: percent-encoded letters, changed case, {@code ;} parameters, doubled slashes, dot segments, encoded slashes
 * and dots, backslashes, NULs, trailing slashes. Used to prove that a protected path is protected in every spelling.
 */
public final class HostilePaths {

    private HostilePaths() {}

    /** Every fixed spelling of {@code path} (which starts with {@code /}), plus {@code random} random mixtures. */
    public static List<String> spellings(String path, int random, long seed) {
        Set<String> out = new LinkedHashSet<>();
        String[] segments = path.substring(1).split("/");
        out.add(path.replaceFirst("/(.)", "/%" + hex(path.charAt(1))));
        out.add(path.replaceFirst("/(.)", "/%" + hex(path.charAt(1)).toLowerCase(Locale.ROOT)));
        out.add(path.toUpperCase(Locale.ROOT));
        out.add(path + "/");
        out.add(path + "?");
        out.add(path + "#x");
        out.add("/" + path);
        out.add(path.replace("/", "//"));
        out.add(path.replace("/", "/./"));
        out.add("/x/.." + path);
        out.add("/x/%2e%2e" + path);
        out.add(path.replace("/", "%2F"));
        out.add("/" + segments[0] + "%2F" + String.join("/", List.of(segments).subList(1, segments.length)));
        out.add(path.replace("/", "\\"));
        out.add("/" + segments[0] + ";x=y/" + String.join("/", List.of(segments).subList(1, segments.length)));
        out.add("/" + segments[0] + ";/" + String.join("/", List.of(segments).subList(1, segments.length)));
        out.add(path + ";jsessionid=x");
        out.add(path + "%00");
        out.add(path + "%00.json");
        out.add(path + ".json");
        out.add(path.replace("a", "%C0%E1"));
        out.add(path.replace("a", "\uFF41"));
        out.add("http://127.0.0.1" + path);
        out.add(encodeAll(path));
        Random rnd = new Random(seed);
        for (int i = 0; i < random; i++) {
            out.add(mix(path, rnd));
        }
        out.remove(path);
        return new ArrayList<>(out);
    }

    private static String mix(String path, Random rnd) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (c == '/') {
                b.append(
                        switch (rnd.nextInt(8)) {
                            case 0 -> "//";
                            case 1 -> "/./";
                            case 2 -> ";a=b/";
                            case 3 -> "/;/";
                            default -> "/";
                        });
            } else {
                b.append(
                        switch (rnd.nextInt(6)) {
                            case 0 -> "%" + hex(c);
                            case 1 -> "%" + hex(c).toLowerCase(Locale.ROOT);
                            case 2 -> Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                            default -> c;
                        });
            }
        }
        return b.toString();
    }

    private static String encodeAll(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            b.append(c == '/' ? "/" : "%" + hex(c));
        }
        return b.toString();
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "%02X", (int) c);
    }
}
