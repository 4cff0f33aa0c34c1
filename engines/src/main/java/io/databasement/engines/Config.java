package io.databasement.engines;

import java.time.Duration;
import java.util.Locale;

/** Engine settings come from system properties first, then the environment: a library has no Spring context. */
final class Config {

    static String get(String property, String environmentVariable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Accepts {@code 60s}, {@code 500ms}, {@code 2m}, a bare number of seconds, or ISO-8601 ({@code PT1M}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }

    /** A PostgreSQL interval setting value: {@code 60s}, or milliseconds when not whole seconds. */
    static String postgresInterval(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private Config() {
    }
}
