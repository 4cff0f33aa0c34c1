package io.databasement.catalog.snapshot;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * Body of {@code POST /api/v1/snapshots}.
 *
 * @param database         checked by the server's engine (quotes, spaces… are valid names; NUL or too long are not)
 * @param compression      {@code zstd} (default), {@code gzip} or {@code none}
 * @param compressionLevel within the compression's bounds; its default when absent
 */
public record SnapshotRequest(@NotNull UUID serverId, @NotNull String database, @NotNull UUID volumeId,
                              String compression, Integer compressionLevel) {
}
