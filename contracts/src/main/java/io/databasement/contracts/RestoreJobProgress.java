package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: bytes so far; also the attempt's heartbeat (at most every 2 s while the job runs).
 *
 * @param bytesRead   artifact bytes read from storage (of {@code totalBytes})
 * @param totalBytes  the artifact's stored size
 * @param rawBytes    decompressed bytes fed to the restore tool
 * @param phase       {@code loading}, {@code verifying} or {@code swapping}
 */
public record RestoreJobProgress(UUID jobId, UUID attemptId, long bytesRead, long totalBytes, long rawBytes, String phase,
                                 Instant at) {
}
