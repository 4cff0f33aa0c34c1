package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: an attempt claimed the job and the dump tool is running.
 *
 * @param objectKey       where the artifact is being written in the volume
 * @param databaseType    the server's product as it reports itself: {@code postgresql}, {@code mariadb} or {@code mysql}
 * @param databaseVersion the server's version string, e.g. {@code 15.20} or {@code 10.11.19-MariaDB}
 * @param toolVersion     the dump tool's own version line
 */
public record BackupStarted(UUID jobId, UUID attemptId, String objectKey, String databaseType,
                            String databaseVersion, String toolVersion, Instant startedAt) {
}
