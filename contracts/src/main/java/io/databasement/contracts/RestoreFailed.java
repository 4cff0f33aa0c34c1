package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a restore failed (status FAILED). Key: restore id. */
public record RestoreFailed(UUID restoreId, UUID snapshotId, UUID targetServerId, String targetDatabase, String mode,
                            String reason, Instant failedAt) {
}
