package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Public event: a restore request was accepted (status PENDING). Key: restore id.
 *
 * @param channel how the request came: {@code rest} ({@code POST /api/v1/restores}) or {@code kafka}
 *                ({@code dbm.restore.requests}); null from catalogs that predate it
 */
public record RestoreAccepted(UUID restoreId, UUID snapshotId, UUID targetServerId, String targetDatabase, String mode,
                              String requestedBy, Instant acceptedAt, String channel) {
}
