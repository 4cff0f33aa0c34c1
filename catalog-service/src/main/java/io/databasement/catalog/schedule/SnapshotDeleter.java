package io.databasement.catalog.schedule;

import java.util.UUID;

/**
 * Deletes a snapshot the way DELETE /api/v1/snapshots/{id} does (async, through storage-service). Retention calls
 * it for each snapshot its plan deletes; asking again for a snapshot already DELETING must be harmless.
 */
public interface SnapshotDeleter {

    void requestDeletion(UUID snapshotId, String reason);
}
