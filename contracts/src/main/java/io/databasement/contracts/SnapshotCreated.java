package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a snapshot was requested and accepted; its backup is queued (status PENDING). */
public record SnapshotCreated(UUID snapshotId, UUID serverId, String serverName, String database, UUID volumeId,
                              String compression, Instant createdAt) {
}
