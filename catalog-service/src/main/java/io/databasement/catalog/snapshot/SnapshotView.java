package io.databasement.catalog.snapshot;

import io.databasement.catalog.volume.Volume;
import io.databasement.contracts.TableStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every detail of a snapshot the product page shows.
 *
 * @param path             where the artifact lives: the volume's location + "/" + object key
 * @param compressionRatio raw size / stored size, two decimals; null until completed
 * @param queuedBehind     while PENDING and not yet dispatched: the job (or the server's limit) it waits for
 * @param locked           a locked snapshot is never deleted, by hand or by retention
 * @param deletionReason   while DELETING: why (by hand, a retention rule); a failed attempt's cause is in {@code error}
 * @param deletionAttempts while DELETING: how many times the delete command was sent to storage
 * @param verified         true when the last verification passed
 * @param verification     the last verification (null: never verified)
 * @param tableCount       tables in the dump, as the backup worker counted them (null: not counted)
 * @param rowCount         data rows in the dump (null: not counted)
 * @param scheduleId       the schedule whose tick asked for it; null when asked for by hand
 * @param cancelRequestedAt while RUNNING: when someone asked to cancel it (its worker is stopping it); null otherwise
 * @param retryAt          while RUNNING after a lost attempt: when its command is sent again ({@code attempt} is the
 *                         lost one's number until then); null otherwise
 */
public record SnapshotView(UUID id, UUID serverId, String serverName, String database, UUID volumeId,
                           String volumeName, String path, SnapshotStatus status, Instant createdAt, Instant startedAt,
                           Instant completedAt, Long durationMs, Long sizeBytes, Long rawSizeBytes, String compression,
                           Integer compressionLevel, BigDecimal compressionRatio, String sha256, String databaseType,
                           String databaseVersion, String error, String objectKey, int attempt, UUID attemptId,
                           Instant lastHeartbeatAt, Long bytesSoFar, String queuedBehind, boolean locked,
                           Instant deletionRequestedAt, String deletionReason, Integer deletionAttempts, boolean verified,
                           SnapshotVerificationView verification, Integer tableCount, Long rowCount,
                           UUID scheduleId, Instant cancelRequestedAt, Instant retryAt) {

    /** @param volume the volume as known now, or null if it is gone (then the names copied at request time serve) */
    static SnapshotView of(Snapshot s, Volume volume) {
        return of(s, volume, null);
    }

    static SnapshotView of(Snapshot s, Volume volume, String queuedBehind) {
        String volumeName = volume != null ? volume.name() : s.volumeName();
        List<TableStats> tables = VerificationDetail.tableStats(s.tableStats());
        String location = volume != null ? volume.location() : s.volumeLocation();
        return new SnapshotView(s.id(), s.serverId(), s.serverName(), s.database(), s.volumeId(), volumeName,
                Volume.path(location, s.objectKey()), s.status(), s.createdAt(), s.startedAt(), s.completedAt(),
                s.durationMs(), s.sizeBytes(), s.rawSizeBytes(), s.compression(), s.compressionLevel(), ratio(s),
                s.sha256(), s.databaseType(), s.databaseVersion(), s.error(), s.objectKey(), s.attempts(),
                s.attemptId(), s.lastHeartbeatAt(), s.bytesSoFar(), queuedBehind, s.locked(), s.deletionRequestedAt(),
                s.deletionReason(), s.status() == SnapshotStatus.DELETING ? s.deletionAttempts() : null,
                s.verificationStatus() == VerificationStatus.PASSED, SnapshotVerificationView.of(s),
                tables == null ? null : tables.size(), tables == null ? null : tables.stream().mapToLong(TableStats::rows).sum(),
                s.scheduleId(), s.cancelRequestedAt(), s.retryAt());
    }

    private static BigDecimal ratio(Snapshot s) {
        if (s.status() != SnapshotStatus.COMPLETED || s.sizeBytes() == null || s.rawSizeBytes() == null || s.sizeBytes() == 0) {
            return null;
        }
        return BigDecimal.valueOf(s.rawSizeBytes()).divide(BigDecimal.valueOf(s.sizeBytes()), 2, RoundingMode.HALF_UP);
    }
}
