package io.databasement.storage.encryption;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keys volumes may encrypt their objects with: {@code dbm.storage.encryption.keys.<keyId>: <base64 of 32 bytes>}
 * (environment: {@code DBM_STORAGE_ENCRYPTION_KEYS_<KEYID>}). Checked by {@link EncryptionKeys} after binding,
 * not here, so a bad value never ends up in a binding error message.
 */
@ConfigurationProperties("dbm.storage.encryption")
public record EncryptionProperties(Map<String, String> keys) {

    public EncryptionProperties {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }

    /** Key ids only: the keys themselves must never reach a log line. */
    @Override
    public String toString() {
        return "EncryptionProperties[keyIds=" + new TreeMap<>(keys).keySet() + "]";
    }
}
