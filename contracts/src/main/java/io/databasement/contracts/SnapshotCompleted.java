package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Public event: a snapshot is stored, complete and checksummed (status COMPLETED).
 *
 * @param path   the full location in the storage volume, e.g. {@code s3://bucket/prefix/key}
 * @param sha256 lowercase hex SHA-256 of the stored object's bytes
 */
public record SnapshotCompleted(UUID snapshotId, UUID serverId, String serverName, String database, UUID volumeId,
                                String path, long sizeBytes, long rawSizeBytes, String sha256, String compression,
                                String databaseType, String databaseVersion, Instant startedAt, Instant completedAt) {
}
