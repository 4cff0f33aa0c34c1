package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the snapshot is restored and swapped into the target database (mode VERIFY: restored into a scratch
 * copy, compared, and the copy dropped).
 *
 * @param bytesRestored the artifact's bytes, all read and checksum-verified
 * @param rawBytes      decompressed bytes the restore tool executed
 * @param verification  mode VERIFY only: how the scratch copy compared with the snapshot (the scratch database is
 *                      dropped by then); null for other modes
 */
public record RestoreJobCompleted(UUID jobId, UUID attemptId, long bytesRestored, long rawBytes, Instant startedAt,
                                  Instant completedAt, Verification verification) {

    /** The report of a restore of a mode other than VERIFY. */
    public RestoreJobCompleted(UUID jobId, UUID attemptId, long bytesRestored, long rawBytes, Instant startedAt,
                               Instant completedAt) {
        this(jobId, attemptId, bytesRestored, rawBytes, startedAt, completedAt, null);
    }
}
