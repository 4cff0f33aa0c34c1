package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: the attempt stopped because the job was cancelled, before its swap: the tool was killed, the staging
 * database dropped and the target left exactly as it was.
 */
public record RestoreJobCancelled(UUID jobId, UUID attemptId, String reason, Instant cancelledAt) {
}
