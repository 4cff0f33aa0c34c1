package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.messaging.PoisonMessageException;
import io.databasement.catalog.messaging.ProcessedMessages;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.StorageDeleteFailed;
import io.databasement.contracts.StorageObjectDeleted;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Projects storage-service's reports: once the file is gone the record goes, with the public
 * {@code snapshot.deleted}, in one transaction. Idempotent by {@code ce_id}; a report for a snapshot that is
 * unknown (already removed) or not DELETING, or about another object, is ignored.
 */
@Component
class StorageReportProjection {

    private static final Logger log = LoggerFactory.getLogger(StorageReportProjection.class);

    private final SnapshotRepository snapshots;
    private final SnapshotDeletions deletions;
    private final ProcessedMessages processed;
    private final JsonMapper json;
    private final Clock clock;

    StorageReportProjection(SnapshotRepository snapshots, SnapshotDeletions deletions, ProcessedMessages processed,
                            JsonMapper json, Clock clock) {
        this.snapshots = snapshots;
        this.deletions = deletions;
        this.processed = processed;
        this.json = json;
        this.clock = clock;
    }

    /** @throws PoisonMessageException for a message no retry makes valid */
    @Transactional
    public void apply(InboundMessage message) {
        ProcessedMessages.FirstDelivery first = processed.firstDelivery(message, json, clock).orElse(null);
        if (first == null) {
            return;
        }
        MessageType<?> type = first.type();
        Object report = first.report();
        Instant now = first.now();
        if (report instanceof StorageObjectDeleted deleted) {
            Snapshot snapshot = deleting(deleted.requestId(), deleted.objectKey(), type);
            if (snapshot != null) {
                deletions.remove(snapshot, now);
            }
        } else if (report instanceof StorageDeleteFailed failed) {
            Snapshot snapshot = deleting(failed.requestId(), failed.objectKey(), type);
            if (snapshot != null) {
                log.warn("storage could not delete {} of snapshot {} ({}): {}", failed.objectKey(), snapshot.id(),
                        failed.retryable() ? "the sweep tries again" : "not retried until it is deleted again", failed.reason());
                snapshot.deletionFailed(failed.reason(), failed.retryable());
                snapshots.save(snapshot);
            }
        } else {
            throw new PoisonMessageException(report.getClass().getSimpleName() + " is not a storage report");
        }
    }

    private Snapshot deleting(UUID snapshotId, String objectKey, MessageType<?> type) {
        if (snapshotId == null) {
            throw new PoisonMessageException("the report has no requestId");
        }
        Snapshot snapshot = snapshots.findById(snapshotId).orElse(null);
        if (snapshot == null || snapshot.status() != SnapshotStatus.DELETING || !Objects.equals(snapshot.objectKey(), objectKey)) {
            log.info("{} for snapshot {} ignored: it is {}", type.ceType(), snapshotId,
                    snapshot == null ? "unknown (already removed?)" : snapshot.status() + " with object " + snapshot.objectKey());
            return null;
        }
        return snapshot;
    }
}
