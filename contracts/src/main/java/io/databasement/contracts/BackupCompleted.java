package io.databasement.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Report: the artifact is stored and complete (tool exited 0, trailer present, object committed).
 *
 * @param sizeBytes    bytes of the stored (compressed) object
 * @param rawSizeBytes bytes the dump tool produced
 * @param sha256       lowercase hex SHA-256 of the stored object's bytes
 * @param tables       rows and checksum of each table, counted from the dump stream (null: not counted)
 */
public record BackupCompleted(UUID jobId, UUID attemptId, UUID volumeId, String objectKey, long sizeBytes,
                              long rawSizeBytes, String sha256, String compression, String databaseType,
                              String databaseVersion, Instant startedAt, Instant completedAt, List<TableStats> tables) {

    /** A report without table statistics. */
    public BackupCompleted(UUID jobId, UUID attemptId, UUID volumeId, String objectKey, long sizeBytes,
                           long rawSizeBytes, String sha256, String compression, String databaseType,
                           String databaseVersion, Instant startedAt, Instant completedAt) {
        this(jobId, attemptId, volumeId, objectKey, sizeBytes, rawSizeBytes, sha256, compression, databaseType,
                databaseVersion, startedAt, completedAt, null);
    }
}
