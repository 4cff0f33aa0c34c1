package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the attempt failed; nothing was committed to storage.
 *
 * @param reason in the tool's own words where the tool failed, with secrets removed
 */
public record BackupFailed(UUID jobId, UUID attemptId, String reason, Instant failedAt) {
}
