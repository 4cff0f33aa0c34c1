package io.databasement.storage.encryption;

import io.databasement.storage.web.Problem;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The configured encryption keys by id, checked once at startup: a key that is not base64 of exactly 32 bytes,
 * or an id outside {@code [a-z0-9][a-z0-9-]{0,62}}, stops the service with a message naming the id only.
 */
@Component
public class EncryptionKeys {

    static final Pattern KEY_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, SecretKey> keys = new TreeMap<>();

    public EncryptionKeys(EncryptionProperties properties) {
        properties.keys().forEach((id, encoded) -> keys.put(checkId(id), decode(id, encoded)));
    }

    /** The key, or 422 {@code unknown-encryption-key} when this service is not configured with it. */
    public SecretKey require(String keyId) {
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw unknown(keyId, HttpStatus.UNPROCESSABLE_CONTENT);
        }
        return key;
    }

    public Optional<SecretKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** The problem of a key id that no {@code dbm.storage.encryption.keys} entry configures. */
    public static Problem unknown(String keyId, HttpStatus status) {
        return new Problem(status, "unknown-encryption-key", "Unknown encryption key",
                "no encryption key '" + keyId + "' is configured in storage-service (dbm.storage.encryption.keys."
                        + keyId + ", environment DBM_STORAGE_ENCRYPTION_KEYS_" + keyId.toUpperCase().replace('-', '_') + ")");
    }

    private static String checkId(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException("dbm.storage.encryption.keys: key id '" + id
                    + "' is not allowed; use 1-63 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return id;
    }

    private static SecretKey decode(String id, String encoded) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded == null ? "" : encoded.trim());
        } catch (IllegalArgumentException e) {
            throw badKey(id, "is not base64");
        }
        if (raw.length != 32) {
            throw badKey(id, "decodes to " + raw.length + " bytes, not 32");
        }
        return new SecretKeySpec(raw, "AES");
    }

    private static IllegalStateException badKey(String id, String why) {
        return new IllegalStateException("dbm.storage.encryption.keys." + id + " " + why
                + " (an AES-256 key is 32 random bytes in base64: openssl rand -base64 32)");
    }
}
