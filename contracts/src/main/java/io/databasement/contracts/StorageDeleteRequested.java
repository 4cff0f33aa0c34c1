package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Command, catalog → storage-service: delete one object. Sent again (same requestId, new {@code ce_id}) until
 * storage answers, so deleting must be idempotent.
 *
 * @param requestId the snapshot id; also the Kafka key
 * @param reason    why, for the logs: {@code by hand}, a retention rule, ...
 */
public record StorageDeleteRequested(UUID requestId, UUID volumeId, String objectKey, String reason,
                                     Instant requestedAt) {
}
