package io.databasement.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API token secrets: {@code dbm_} and 43 URL-safe base64 characters (256 random bits). Only a SHA-256
 * of a secret is stored; a secret this random needs no salt or slow hash, and a fast one keeps every
 * request's lookup cheap.
 */
final class TokenSecrets {

    static final String PREFIX = "dbm_";
    private static final SecureRandom RANDOM = new SecureRandom();

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** What lists show so a person can tell tokens apart: the first characters after {@code dbm_}. */
    static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(secret.length(), PREFIX.length() + 6));
    }

    /** Equal secrets, in time independent of where they differ. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(hash(a), hash(b));
    }

    private TokenSecrets() {
    }
}
