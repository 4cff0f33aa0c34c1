package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the restore failed.
 *
 * @param reason        in the tool's own words where the tool failed (e.g. {@code checksum mismatch}), no secrets
 * @param targetTouched false when the target database is exactly as it was (the failure came before the swap,
 *                      or the swap was rolled back); a retry is safe only then
 */
public record RestoreJobFailed(UUID jobId, UUID attemptId, String reason, boolean targetTouched, Instant failedAt) {
}
