package io.databasement.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Command: restore a stored snapshot into a target database. The job id is the restore id.
 *
 * @param objectKey            the artifact's key in {@code volumeId}
 * @param sha256               the artifact's checksum, verified while streaming, before anything is swapped in
 * @param sizeBytes            the artifact's stored size
 * @param compression          {@code zstd}, {@code gzip} or {@code none}
 * @param sourceDatabaseType   {@code postgresql}, {@code mariadb} or {@code mysql}
 * @param sourceDatabaseVersion the source server's version at snapshot time (never restore into an older major)
 * @param mode                 a {@link RestoreMode} name
 * @param targetExists         whether the catalog saw the target database exist when it accepted the request
 * @param expectedTables       mode VERIFY only: the snapshot's {@link TableStats}, to compare the scratch copy with
 *                             (null: the snapshot has none; the verification then proves only that it restores)
 */
public record RestoreJobRequested(UUID jobId, UUID snapshotId, UUID volumeId, String objectKey, String sha256, long sizeBytes,
                                  String compression, String sourceDatabaseType, String sourceDatabaseVersion,
                                  String sourceDatabase, UUID targetServerId, String targetServerName,
                                  ServerConnection target, String targetDatabase, String mode, boolean targetExists,
                                  Instant requestedAt, List<TableStats> expectedTables) {

    /** A command of a restore mode other than VERIFY. */
    public RestoreJobRequested(UUID jobId, UUID snapshotId, UUID volumeId, String objectKey, String sha256, long sizeBytes,
                               String compression, String sourceDatabaseType, String sourceDatabaseVersion,
                               String sourceDatabase, UUID targetServerId, String targetServerName,
                               ServerConnection target, String targetDatabase, String mode, boolean targetExists,
                               Instant requestedAt) {
        this(jobId, snapshotId, volumeId, objectKey, sha256, sizeBytes, compression, sourceDatabaseType,
                sourceDatabaseVersion, sourceDatabase, targetServerId, targetServerName, target, targetDatabase, mode,
                targetExists, requestedAt, null);
    }
}
