package io.databasement.storage.store;

import io.databasement.storage.encryption.EncryptionKeys;
import io.databasement.storage.encryption.EncryptionProperties;
import java.nio.file.Files;
import java.util.Map;

/**
 * Every encrypted-folder case again, with each upload declaring a plaintext part size of 5 MiB (300 000 bytes where
 * a case splits its object that way): the stored part size the folder lays the ciphertext out by follows from it.
 */
class PositionalEncryptingObjectStoreTests extends EncryptingObjectStoreTests {

    @Override
    ObjectStore newStore() throws Exception {
        root = Files.createDirectories(tmp.resolve("volume"));
        return new EncryptingObjectStore(new LocalObjectStore(root), new EncryptionKeys(new EncryptionProperties(Map.of("k1", K1))), "k1") {
            @Override
            public String initUpload(String key) {
                // the ranged-read case splits its even object into 300 000-byte parts; its uneven one declares nothing
                return switch (key) {
                    case "ranges/even.bin" -> initUpload(key, UploadPlan.partSize(300_000L));
                    case "ranges/uneven.bin" -> super.initUpload(key);
                    default -> initUpload(key, UploadPlan.partSize(5L * MIB));
                };
            }
        };
    }
}
