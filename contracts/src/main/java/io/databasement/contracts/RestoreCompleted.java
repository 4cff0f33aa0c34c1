package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a restore finished successfully (status COMPLETED). Key: restore id. */
public record RestoreCompleted(UUID restoreId, UUID snapshotId, UUID targetServerId, String targetDatabase, String mode,
                               long bytesRestored, Instant startedAt, Instant completedAt) {
}
