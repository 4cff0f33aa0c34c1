package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report, storage-service → catalog: the object could not be deleted.
 *
 * @param retryable false when no retry can succeed as things stand (the volume is unknown, its secret cannot be
 *                  opened); true when storage gave up for now on a backend that kept failing
 */
public record StorageDeleteFailed(UUID requestId, UUID volumeId, String objectKey, String reason, boolean retryable,
                                  Instant failedAt) {
}
