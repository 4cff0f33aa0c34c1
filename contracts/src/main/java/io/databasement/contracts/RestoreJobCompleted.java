package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the snapshot is restored and swapped into the target database.
 *
 * @param bytesRestored the artifact's bytes, all read and checksum-verified
 * @param rawBytes      decompressed bytes the restore tool executed
 */
public record RestoreJobCompleted(UUID jobId, UUID attemptId, long bytesRestored, long rawBytes, Instant startedAt,
                                  Instant completedAt) {
}
