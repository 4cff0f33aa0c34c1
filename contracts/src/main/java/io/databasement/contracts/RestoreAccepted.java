package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a restore request was accepted (status PENDING). Key: restore id. */
public record RestoreAccepted(UUID restoreId, UUID snapshotId, UUID targetServerId, String targetDatabase, String mode,
                              String requestedBy, Instant acceptedAt) {
}
