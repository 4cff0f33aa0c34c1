package io.databasement.catalog.snapshot;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * Body of {@code POST /api/v1/snapshots}.
 *
 * @param database         checked by the server's engine (quotes, spaces… are valid names; NUL or too long are not)
 * @param compression      {@code zstd} (default), {@code gzip} or {@code none}
 * @param compressionLevel within the compression's bounds; its default when absent
 */
@Schema(example = """
        {"serverId": "7d1c9f4e-2b8a-4e31-9c55-0f2a6b1d8e73", "database": "shop",
         "volumeId": "c0a8f3b2-5e6d-4f71-8a9b-1d2e3f4a5b6c", "compression": "zstd", "compressionLevel": 3}""")
public record SnapshotRequest(@NotNull UUID serverId, @NotNull String database, @NotNull UUID volumeId,
                              String compression, Integer compressionLevel) {
}
