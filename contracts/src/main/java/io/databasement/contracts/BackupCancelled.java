package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the attempt stopped because the job was cancelled; the tool was killed and the partial upload aborted,
 * so nothing of it stays in storage.
 */
public record BackupCancelled(UUID jobId, UUID attemptId, String reason, Instant cancelledAt) {
}
