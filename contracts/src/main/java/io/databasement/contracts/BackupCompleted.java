package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the artifact is stored and complete (tool exited 0, trailer present, object committed).
 *
 * @param sizeBytes    bytes of the stored (compressed) object
 * @param rawSizeBytes bytes the dump tool produced
 * @param sha256       lowercase hex SHA-256 of the stored object's bytes
 */
public record BackupCompleted(UUID jobId, UUID attemptId, UUID volumeId, String objectKey, long sizeBytes,
                              long rawSizeBytes, String sha256, String compression, String databaseType,
                              String databaseVersion, Instant startedAt, Instant completedAt) {
}
