package io.databasement.backupworker.dump;

import io.databasement.backupworker.storage.ArtifactSink.PartReceipt;
import io.databasement.contracts.TableStats;
import java.util.List;

/**
 * What the stream measured: never a later query of a source that has moved on.
 *
 * @param rawBytes  bytes the tool wrote
 * @param sizeBytes bytes stored (after compression)
 * @param sha256    lowercase hex SHA-256 of the stored bytes
 * @param parts     the uploaded parts in order
 * @param tables    rows and checksum of every table, counted from the raw dump as it passed, sorted by name
 */
public record DumpResult(long rawBytes, long sizeBytes, String sha256, List<PartReceipt> parts, List<TableStats> tables) {

    public DumpResult {
        parts = List.copyOf(parts);
        tables = List.copyOf(tables);
    }
}
