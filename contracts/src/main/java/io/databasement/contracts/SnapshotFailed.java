package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a snapshot failed (status FAILED); nothing was kept in storage. */
public record SnapshotFailed(UUID snapshotId, UUID serverId, String serverName, String database, String reason,
                             Instant failedAt) {
}
