package io.databasement.storage.store;

import java.time.Instant;
import java.util.Map;

/**
 * @param sha256   hex of the whole object as recorded at completion; null for objects we did not write
 * @param metadata the extra entries recorded at completion ({@link Completion#metadata()})
 */
public record ObjectStat(String key, long sizeBytes, String sha256, Instant lastModified, Map<String, String> metadata) {

    public ObjectStat {
        metadata = Map.copyOf(metadata);
    }

    public ObjectStat(String key, long sizeBytes, String sha256, Instant lastModified) {
        this(key, sizeBytes, sha256, lastModified, Map.of());
    }
}
