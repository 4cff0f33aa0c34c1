package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/** Public event: a snapshot's file and record are gone. */
public record SnapshotDeleted(UUID snapshotId, String serverName, String database, UUID volumeId, String objectKey,
                              String reason, Instant deletedAt) {
}
