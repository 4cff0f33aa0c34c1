package io.databasement.catalog.snapshot;

import io.databasement.catalog.volume.Volume;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

/**
 * Every detail of a snapshot the product page shows.
 *
 * @param path             where the artifact lives: the volume's location + "/" + object key
 * @param compressionRatio raw size / stored size, two decimals; null until completed
 * @param queuedBehind     while PENDING and not yet dispatched: the job (or the server's limit) it waits for
 * @param scheduleId       the schedule whose tick asked for it; null when asked for by hand
 */
public record SnapshotView(UUID id, UUID serverId, String serverName, String database, UUID volumeId,
                           String volumeName, String path, SnapshotStatus status, Instant createdAt, Instant startedAt,
                           Instant completedAt, Long durationMs, Long sizeBytes, Long rawSizeBytes, String compression,
                           Integer compressionLevel, BigDecimal compressionRatio, String sha256, String databaseType,
                           String databaseVersion, String error, String objectKey, int attempt, UUID attemptId,
                           Instant lastHeartbeatAt, Long bytesSoFar, String queuedBehind, UUID scheduleId) {

    /** @param volume the volume as known now, or null if it is gone (then the names copied at request time serve) */
    static SnapshotView of(Snapshot s, Volume volume) {
        return of(s, volume, null);
    }

    static SnapshotView of(Snapshot s, Volume volume, String queuedBehind) {
        String volumeName = volume != null ? volume.name() : s.volumeName();
        String location = volume != null ? volume.location() : s.volumeLocation();
        return new SnapshotView(s.id(), s.serverId(), s.serverName(), s.database(), s.volumeId(), volumeName,
                Volume.path(location, s.objectKey()), s.status(), s.createdAt(), s.startedAt(), s.completedAt(),
                s.durationMs(), s.sizeBytes(), s.rawSizeBytes(), s.compression(), s.compressionLevel(), ratio(s),
                s.sha256(), s.databaseType(), s.databaseVersion(), s.error(), s.objectKey(), s.attempts(),
                s.attemptId(), s.lastHeartbeatAt(), s.bytesSoFar(), queuedBehind, s.scheduleId());
    }

    private static BigDecimal ratio(Snapshot s) {
        if (s.status() != SnapshotStatus.COMPLETED || s.sizeBytes() == null || s.rawSizeBytes() == null || s.sizeBytes() == 0) {
            return null;
        }
        return BigDecimal.valueOf(s.rawSizeBytes()).divide(BigDecimal.valueOf(s.sizeBytes()), 2, RoundingMode.HALF_UP);
    }
}
