package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a snapshot was cancelled (status CANCELLED); nothing was kept in storage. */
public record SnapshotCancelled(UUID snapshotId, UUID serverId, String serverName, String database, String reason,
                                Instant cancelledAt) {
}
