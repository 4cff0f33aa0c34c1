package io.databasement.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Public: a snapshot's verification ended. Passed: it was restored into a scratch database and every table's rows and
 * checksum matched what the dump held when the snapshot was taken. Failed: the reason, or the tables that differ.
 *
 * @param verifiedOn     the server whose scratch database was used
 * @param passed         whether the snapshot restores and matches
 * @param tablesCompared tables compared (0 when the restore failed, or the snapshot predates table statistics)
 * @param mismatches     the tables that differ (empty when passed, or when the restore itself failed)
 * @param error          why the scratch restore failed; null when it ran
 */
public record SnapshotVerified(UUID snapshotId, UUID serverId, String serverName, String database, String verifiedOn,
                               boolean passed, int tablesCompared, long rowsCompared, List<TableMismatch> mismatches,
                               String error, Instant verifiedAt, long durationMs) {
}
