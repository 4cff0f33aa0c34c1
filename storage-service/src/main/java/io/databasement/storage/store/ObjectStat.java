package io.databasement.storage.store;

import java.time.Instant;

/** @param sha256 hex of the whole object as recorded at completion; null for objects we did not write */
public record ObjectStat(String key, long sizeBytes, String sha256, Instant lastModified) {
}
