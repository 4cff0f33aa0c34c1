package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Command: take a snapshot. For backups the job id is the snapshot id.
 *
 * @param serverName       the registered server's name, used in the object key
 * @param compression      {@code zstd}, {@code gzip} or {@code none} (see {@link Compression})
 * @param compressionLevel the compressor's level (zstd 1–19, gzip 1–9; ignored for none)
 */
public record BackupRequested(UUID jobId, UUID serverId, String serverName, ServerConnection connection,
                              String database, UUID volumeId, String compression, int compressionLevel,
                              Instant requestedAt) {
}
