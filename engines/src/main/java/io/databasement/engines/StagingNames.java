package io.databasement.engines;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Names of the staging and old databases of a restore: {@code dbm_rst_<attempt>_<target>} and
 * {@code dbm_old_<attempt>_<target>}, the target part shortened to the server's limit. The attempt part
 * makes them unique; the target part lets a person see what a leftover belonged to.
 */
final class StagingNames {

    static String staging(String target, UUID attemptId, int maxBytes, int maxChars) {
        return derive(STAGING_PREFIX, target, attemptId, maxBytes, maxChars);
    }

    static String old(String target, UUID attemptId, int maxBytes, int maxChars) {
        return derive("dbm_old_", target, attemptId, maxBytes, maxChars);
    }

    private static String derive(String prefix, String target, UUID attemptId, int maxBytes, int maxChars) {
        StringBuilder name = new StringBuilder(prefix).append(attemptId.toString(), 0, 8).append('_');
        // whole code points only: a cut UTF-8 sequence would make an invalid name
        for (int i = 0; i < target.length(); ) {
            int cp = target.codePointAt(i);
            String next = name + new String(Character.toChars(cp));
            if (next.getBytes(StandardCharsets.UTF_8).length > maxBytes || next.codePointCount(0, next.length()) > maxChars) {
                break;
            }
            name.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        // a trailing space is refused by MariaDB
        return name.toString().stripTrailing();
    }

    /** What every staging database name starts with; a prefix for looking leftovers up. */
    static final String STAGING_PREFIX = "dbm_rst_";

    /**
     * Whether {@code candidate} is the staging database of an earlier attempt at the same target: safe to drop
     * for whoever holds the target's lock, since a live attempt would hold that lock and nothing but a
     * staging copy lives there. Only when the target's name fits whole: a shortened one could be another
     * target's staging, locked by someone else.
     */
    static boolean isLeftoverStaging(String candidate, String target, String ownStaging) {
        String suffix = "_" + target;
        return ownStaging.endsWith(suffix)
                && !candidate.equals(ownStaging)
                && candidate.length() == STAGING_PREFIX.length() + 8 + suffix.length()
                && candidate.startsWith(STAGING_PREFIX)
                && candidate.endsWith(suffix)
                && candidate.substring(STAGING_PREFIX.length(), STAGING_PREFIX.length() + 8).matches("[0-9a-f]{8}");
    }

    /** A stable 64-bit key (PostgreSQL advisory locks) or hex name part: the first bytes of SHA-256. */
    static long lockKey(String text) {
        byte[] digest = sha256(text);
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key = (key << 8) | (digest[i] & 0xff);
        }
        return key;
    }

    static String hexHash(String text, int hexChars) {
        StringBuilder hex = new StringBuilder();
        for (byte b : sha256(text)) {
            hex.append(String.format("%02x", b));
        }
        return hex.substring(0, hexChars);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private StagingNames() {
    }
}
