package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.catalog.volume.Volume;
import io.databasement.contracts.SnapshotCancelled;
import io.databasement.contracts.SnapshotCompleted;
import io.databasement.contracts.SnapshotCreated;
import io.databasement.contracts.SnapshotDeleted;
import io.databasement.contracts.SnapshotFailed;
import io.databasement.contracts.SnapshotVerified;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The public {@code dbm.snapshot.events} the catalog writes once it has decided a snapshot's status: they go
 * through the outbox with the change that caused them, so a report that was ignored never leaks out.
 */
final class SnapshotPublicEvents {

    static OutboxMessage created(Snapshot s, Instant now) {
        return new Created(UUID.randomUUID().toString(), now, new SnapshotCreated(s.id(), s.serverId(), s.serverName(),
                s.database(), s.volumeId(), s.compression(), s.createdAt()));
    }

    /** The event for a snapshot that just reached a final status, if it did. */
    static Optional<OutboxMessage> ended(Snapshot s, Instant now) {
        return switch (s.status()) {
            case COMPLETED -> Optional.of(new Completed(UUID.randomUUID().toString(), now, new SnapshotCompleted(s.id(), s.serverId(),
                    s.serverName(), s.database(), s.volumeId(), Volume.path(s.volumeLocation(), s.objectKey()), s.sizeBytes(),
                    s.rawSizeBytes(), s.sha256(), s.compression(), s.databaseType(), s.databaseVersion(), s.startedAt(),
                    s.completedAt())));
            case FAILED -> Optional.of(new Failed(UUID.randomUUID().toString(), now, new SnapshotFailed(s.id(), s.serverId(),
                    s.serverName(), s.database(), s.error(), s.completedAt())));
            case CANCELLED -> Optional.of(new Cancelled(UUID.randomUUID().toString(), now, new SnapshotCancelled(s.id(),
                    s.serverId(), s.serverName(), s.database(), s.error(), s.completedAt())));
            default -> Optional.empty();
        };
    }

    static OutboxMessage verified(Snapshot s, VerificationDetail detail, Instant now) {
        return new Verified(UUID.randomUUID().toString(), now, new SnapshotVerified(s.id(), s.serverId(), s.serverName(),
                s.database(), detail.verifiedOn(), s.verificationStatus() == VerificationStatus.PASSED,
                detail.tablesCompared(), detail.rowsCompared(), detail.mismatches(), detail.error(), s.verifiedAt(),
                s.verificationDurationMs() == null ? 0 : s.verificationDurationMs()));
    }

    record Verified(String ceId, Instant occurredAt, SnapshotVerified payload) implements SnapshotVerificationEnded {
        @Override
        public String key() {
            return payload.snapshotId().toString();
        }
    }

    /** The record is gone (its file first, if it had one). */
    static OutboxMessage deleted(Snapshot s, Instant now) {
        return new Deleted(UUID.randomUUID().toString(), now, new SnapshotDeleted(s.id(), s.serverName(), s.database(),
                s.volumeId(), s.objectKey(), s.deletionReason(), now));
    }

    record Deleted(String ceId, Instant occurredAt, SnapshotDeleted payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.snapshotId().toString();
        }
    }

    record Created(String ceId, Instant occurredAt, SnapshotCreated payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.snapshotId().toString();
        }
    }

    record Completed(String ceId, Instant occurredAt, SnapshotCompleted payload) implements SnapshotEnded {
        @Override
        public UUID snapshotId() {
            return payload.snapshotId();
        }

        @Override
        public boolean completed() {
            return true;
        }

        @Override
        public String key() {
            return payload.snapshotId().toString();
        }
    }

    /**
     * Not a {@link SnapshotEnded}: a cancelled snapshot says nothing about the health of its schedule (someone
     * stopped it on purpose), so schedules neither alert on it nor count it as a success.
     */
    record Cancelled(String ceId, Instant occurredAt, SnapshotCancelled payload) implements OutboxMessage {
        @Override
        public String key() {
            return payload.snapshotId().toString();
        }
    }

    record Failed(String ceId, Instant occurredAt, SnapshotFailed payload) implements SnapshotEnded {
        @Override
        public UUID snapshotId() {
            return payload.snapshotId();
        }

        @Override
        public boolean completed() {
            return false;
        }

        @Override
        public String key() {
            return payload.snapshotId().toString();
        }
    }

    private SnapshotPublicEvents() {
    }
}
