package io.databasement.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * The hostile values {@link HostileInputIT} throws at the system: a fixed list of strings known to break quoting,
 * shells, parsers and terminals, plus a seeded handful of random mixes of the same ingredients, so a run is
 * repeatable from its seed ({@code -Dhostile.seed=}).
 */
final class HostileInputs {

    /** What the random mixes are made of: quotes, escapes, shell and SQL metacharacters, NUL, bidi and emoji. */
    private static final String[] INGREDIENTS = {"'", "\"", "`", ";", "\\", "\u0000", "$(", ")", "|", "&", "--",
            "/*", "*/", "\n", "\r", "\t", "%", "../", "\u202E", "\uD83D\uDE00", "\u0301", "é", "x", "DROP TABLE canary",
            "touch /tmp/pwned", " ", "=", "{", "}", "<", ">"};

    private final Random random;
    private final String canary;

    /** @param canary the canary database's name, which the targeted injections aim at */
    HostileInputs(long seed, String canary) {
        this.random = new Random(seed);
        this.canary = canary;
    }

    /** Every hostile identifier: the fixed list, then {@code mixes} seeded random ones; no duplicates. */
    List<String> identifiers(int mixes) {
        LinkedHashSet<String> all = new LinkedHashSet<>(List.of(
                // quoting and escaping
                "'", "\"", "`", "a'b", "a\"b", "a`b", "a;b", ";", "a\\b", "\\", "\\'", "''", "\"\"",
                // NUL and control characters
                "a\u0000b", "\u0000", "\u0001\u0007\u001b[31mred", "line\r\nbreak", "tab\there", "\u007f",
                // SQL injection, also aimed at the canary database by name
                "'; DROP TABLE canary; --", "\"; DROP TABLE canary; --", "`; DROP TABLE canary; --",
                "1' OR '1'='1", canary + "'; DROP TABLE canary; --", canary + "\"; DROP TABLE canary; --",
                canary + "`; DROP TABLE canary; #",
                // shell and argument injection; a libpq connection string instead of a name
                "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "x; touch /tmp/pwned", "x && touch /tmp/pwned",
                "x | touch /tmp/pwned", "--help", "-f/tmp/pwned", "--file=/tmp/pwned", "dbname=" + canary,
                "host=127.0.0.1 dbname=" + canary,
                // unicode: right-to-left override, RTL scripts, emoji, combining marks, BOM, a lone surrogate
                "\u202Egnp.exe\u202C", "\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627",
                "\uD83D\uDE00\uD83D\uDCBE\uD83D\uDD25", "e\u0301\u0302\u0303\u0304", "Z\u0351\u0352\u0353\u0354\u0355\u0356",
                "\u65E5\u672C\u8A9E", "\uFEFFbom", "\uD800",
                // traversal, templates, format strings, markup
                "../../etc/passwd", "..\\..\\windows", "%2e%2e%2f", "${jndi:ldap://127.0.0.1/x}", "%s%n%x", "{{7*7}}",
                "<script>alert(1)</script>",
                // empty, blank, huge
                "", " ", "A".repeat(10_000), "\u00E9".repeat(5_000), "\uD83D\uDE00".repeat(2_500)));
        int size = all.size() + mixes;
        while (all.size() < size) {
            all.add(mix());
        }
        return new ArrayList<>(all);
    }

    /** {@code n} of the identifiers, picked by the seed: for the fields that need not see every one. */
    List<String> sample(List<String> identifiers, int n) {
        List<String> copy = new ArrayList<>(identifiers);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }

    /** Seeded bytes: unparseable as JSON, and (mostly) not even UTF-8. */
    byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xC3; // never a JSON start; 0xC3 0x28 is an invalid UTF-8 sequence
        if (length > 1) {
            bytes[1] = 0x28;
        }
        return bytes;
    }

    /** A JSON document nested {@code depth} arrays deep. */
    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String mix() {
        StringBuilder s = new StringBuilder("h");
        int parts = 1 + random.nextInt(8);
        for (int i = 0; i < parts; i++) {
            s.append(INGREDIENTS[random.nextInt(INGREDIENTS.length)]);
        }
        return s.toString();
    }
}
