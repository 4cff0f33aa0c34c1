package io.databasement.catalog.restore;

import io.databasement.contracts.RestoreMode;
import java.time.Instant;
import java.util.UUID;

/**
 * A restore as {@code GET /api/v1/restores/{id}} shows it.
 *
 * @param bytesSoFar   artifact bytes read so far (from the worker's heartbeat), of {@code totalBytes}
 * @param queuedBehind while PENDING and not yet dispatched: the job (or the server's limit) it waits for
 * @param cancelRequestedAt while IN_PROGRESS: when someone asked to cancel it (its worker is stopping it)
 * @param swapping     its worker is replacing the target with the restored copy: it can no longer be cancelled
 * @param retryAt      while IN_PROGRESS after a lost attempt: when its command is sent again; null otherwise
 */
public record RestoreView(UUID id, UUID snapshotId, UUID targetServerId, String targetServerName, String targetDatabase,
                          RestoreMode mode, RestoreStatus status, Instant createdAt, Instant startedAt,
                          Instant completedAt, Long durationMs, Long bytesRestored, String error, String correlationId,
                          String requestedBy, boolean targetExists, int attempt, UUID attemptId,
                          Instant lastHeartbeatAt, Long bytesSoFar, Long totalBytes, String queuedBehind,
                          Instant cancelRequestedAt, boolean swapping, Instant retryAt) {

    static RestoreView of(Restore r, String queuedBehind) {
        return new RestoreView(r.id(), r.snapshotId(), r.targetServerId(), r.targetServerName(), r.targetDatabase(),
                r.mode(), r.status(), r.createdAt(), r.startedAt(), r.completedAt(), r.durationMs(), r.bytesRestored(),
                r.error(), r.correlationId(), r.requestedBy(), r.targetExists(), r.attempts(), r.attemptId(),
                r.lastHeartbeatAt(), r.bytesSoFar(), r.totalBytes(), queuedBehind, r.cancelRequestedAt(),
                r.status() == RestoreStatus.IN_PROGRESS && r.swapClaimedAt() != null, r.retryAt());
    }
}
