package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a restore was cancelled (status CANCELLED) before its swap; the target is as it was. Key: restore id. */
public record RestoreCancelled(UUID restoreId, UUID snapshotId, UUID targetServerId, String targetDatabase, String mode,
                               String reason, Instant cancelledAt) {
}
