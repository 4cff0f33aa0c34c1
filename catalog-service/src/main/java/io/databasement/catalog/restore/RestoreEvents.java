package io.databasement.catalog.restore;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.RestoreMode;
import io.databasement.contracts.RestoreAccepted;
import io.databasement.contracts.RestoreCancelled;
import io.databasement.contracts.RestoreCompleted;
import io.databasement.contracts.RestoreFailed;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.RestoreRejected;
import io.databasement.contracts.RestoreStarted;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the catalog writes about restores, through the outbox with the change that decides it: the command to
 * the restore workers, and the public {@code dbm.restore.events}, each carrying the request's correlation id.
 */
final class RestoreEvents {

    /** @param channel how the request came, {@link RestoreOrder#REST} or {@link RestoreOrder#KAFKA} */
    static OutboxMessage accepted(Restore r, String channel, Instant now) {
        return new Accepted(ceId(), now, r.correlationId(), new RestoreAccepted(r.id(), r.snapshotId(), r.targetServerId(),
                r.targetDatabase(), r.mode().name(), r.requestedBy(), r.createdAt(), channel));
    }

    /** Keyed by the correlation id: there is no restore. */
    static OutboxMessage rejected(RestoreRejected rejected, String correlationId, Instant now) {
        return new Rejected(ceId(), now, correlationId, rejected);
    }

    /** The public event for a status the projection just decided, if it is one the public hears about. */
    static Optional<OutboxMessage> changed(Restore r, Instant now) {
        if (r.mode() == RestoreMode.VERIFY) {
            // the public hears of a verification as snapshot.verified, from the snapshot's side
            return Optional.empty();
        }
        return switch (r.status()) {
            case IN_PROGRESS -> Optional.of(new Started(ceId(), now, r.correlationId(), new RestoreStarted(r.id(),
                    r.snapshotId(), r.targetServerId(), r.targetDatabase(), r.mode().name(), r.startedAt())));
            case COMPLETED -> Optional.of(new Completed(ceId(), now, r.correlationId(), new RestoreCompleted(r.id(),
                    r.snapshotId(), r.targetServerId(), r.targetDatabase(), r.mode().name(),
                    r.bytesRestored() == null ? 0 : r.bytesRestored(), r.startedAt(), r.completedAt())));
            case FAILED -> Optional.of(new Failed(ceId(), now, r.correlationId(), new RestoreFailed(r.id(), r.snapshotId(),
                    r.targetServerId(), r.targetDatabase(), r.mode().name(), r.error(), r.completedAt())));
            case CANCELLED -> Optional.of(new Cancelled(ceId(), now, r.correlationId(), new RestoreCancelled(r.id(),
                    r.snapshotId(), r.targetServerId(), r.targetDatabase(), r.mode().name(), r.error(), r.completedAt())));
            case PENDING -> Optional.empty();
        };
    }

    private static String ceId() {
        return UUID.randomUUID().toString();
    }

    /** With the trace context of what asked for the restore (null: none). */
    record Command(String ceId, Instant occurredAt, String correlationId, RestoreJobRequested payload, String traceparent)
            implements OutboxMessage {
        @Override
        public String key() {
            return payload.jobId().toString();
        }
    }

    record Accepted(String ceId, Instant occurredAt, String correlationId, RestoreAccepted payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.restoreId().toString();
        }
    }

    record Rejected(String ceId, Instant occurredAt, String correlationId, RestoreRejected payload) implements OutboxMessage {
        @Override
        public String key() {
            return correlationId;
        }
    }

    record Started(String ceId, Instant occurredAt, String correlationId, RestoreStarted payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.restoreId().toString();
        }
    }

    record Completed(String ceId, Instant occurredAt, String correlationId, RestoreCompleted payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.restoreId().toString();
        }
    }

    record Failed(String ceId, Instant occurredAt, String correlationId, RestoreFailed payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.restoreId().toString();
        }
    }

    record Cancelled(String ceId, Instant occurredAt, String correlationId, RestoreCancelled payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.restoreId().toString();
        }
    }

    private RestoreEvents() {
    }
}
