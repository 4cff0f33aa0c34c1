package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a restore is running (status IN_PROGRESS). Key: restore id. */
public record RestoreStarted(UUID restoreId, UUID snapshotId, UUID targetServerId, String targetDatabase, String mode,
                             Instant startedAt) {
}
