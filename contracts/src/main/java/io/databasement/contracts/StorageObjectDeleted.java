package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report, storage-service → catalog: the object is gone.
 *
 * @param existed false when there was nothing to delete (a repeated command, or an upload that never finished)
 */
public record StorageObjectDeleted(UUID requestId, UUID volumeId, String objectKey, boolean existed,
                                   Instant deletedAt) {
}
