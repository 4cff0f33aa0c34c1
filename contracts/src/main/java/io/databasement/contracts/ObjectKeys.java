package io.databasement.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The one definition of artifact object keys: readable by a person in an S3 console, unique per attempt,
 * {@code {server}/{database}/{server}-{database}-{yyyy-MM-dd-HHmmss}-{attempt8}.sql{.zst|.gz}} (UTC),
 * and the rules every key must pass before storage touches it.
 */
public final class ObjectKeys {

    public static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_SEGMENT_CHARS = 100;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss").withZone(ZoneOffset.UTC);

    public static String snapshotKey(String serverName, String database, Instant startedAt, UUID attemptId,
                                     Compression compression) {
        String server = segment(serverName);
        String db = segment(database);
        return server + "/" + db + "/" + server + "-" + db + "-" + STAMP.format(startedAt) + "-"
                + attemptId.toString().substring(0, 8) + ".sql" + compression.extension();
    }

    /**
     * Makes a name safe as one path segment: letters, digits, {@code . _ -} are kept, anything else
     * (slashes, spaces, quotes, control characters) becomes {@code _}; never {@code .} or {@code ..}.
     */
    public static String segment(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(MAX_SEGMENT_CHARS).forEach(cp -> {
            boolean keep = Character.isLetterOrDigit(cp) || cp == '.' || cp == '_' || cp == '-';
            out.appendCodePoint(keep ? cp : '_');
        });
        if (out.isEmpty() || out.charAt(0) == '.') {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /**
     * @throws IllegalArgumentException with a reason a client can act on, if the key could escape its
     *                                  volume or is not a plain relative path
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key is empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("object key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        if (key.startsWith("/") || key.contains("\\") || key.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("object key must be a relative path with '/' separators");
        }
        if (key.codePoints().anyMatch(cp -> Character.isISOControl(cp))) {
            throw new IllegalArgumentException("object key contains control characters");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key has an empty, '.' or '..' segment");
            }
            if (segment.startsWith(".")) {
                throw new IllegalArgumentException("object key segments must not start with '.'");
            }
        }
        return key;
    }

    private ObjectKeys() {
    }
}
