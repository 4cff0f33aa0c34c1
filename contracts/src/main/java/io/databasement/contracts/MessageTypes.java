package io.databasement.contracts;

import java.util.List;
import java.util.Optional;

/** The registry of every message type; consumers dispatch on {@code ce_type} through it. */
public final class MessageTypes {

    public static final MessageType<BackupRequested> BACKUP_REQUESTED = type("backup.requested", BackupRequested.class, Topics.BACKUP_COMMANDS);
    public static final MessageType<BackupStarted> BACKUP_STARTED = type("backup.started", BackupStarted.class, Topics.BACKUP_REPORTS);
    public static final MessageType<BackupProgress> BACKUP_PROGRESS = type("backup.progress", BackupProgress.class, Topics.BACKUP_REPORTS);
    public static final MessageType<BackupCompleted> BACKUP_COMPLETED = type("backup.completed", BackupCompleted.class, Topics.BACKUP_REPORTS);
    public static final MessageType<BackupFailed> BACKUP_FAILED = type("backup.failed", BackupFailed.class, Topics.BACKUP_REPORTS);
    public static final MessageType<BackupCancelled> BACKUP_CANCELLED = type("backup.cancelled", BackupCancelled.class, Topics.BACKUP_REPORTS);
    public static final MessageType<JobCancelRequested> JOB_CANCEL_REQUESTED = type("job.cancel.requested", JobCancelRequested.class, Topics.JOB_CANCELLATIONS);
    public static final MessageType<VolumeState> VOLUME_STATE = type("volume.state", VolumeState.class, Topics.VOLUMES);
    public static final MessageType<SnapshotCreated> SNAPSHOT_CREATED = type("snapshot.created", SnapshotCreated.class, Topics.SNAPSHOT_EVENTS);
    public static final MessageType<SnapshotCompleted> SNAPSHOT_COMPLETED = type("snapshot.completed", SnapshotCompleted.class, Topics.SNAPSHOT_EVENTS);
    public static final MessageType<SnapshotFailed> SNAPSHOT_FAILED = type("snapshot.failed", SnapshotFailed.class, Topics.SNAPSHOT_EVENTS);
    public static final MessageType<SnapshotCancelled> SNAPSHOT_CANCELLED = type("snapshot.cancelled", SnapshotCancelled.class, Topics.SNAPSHOT_EVENTS);
    public static final MessageType<SnapshotVerified> SNAPSHOT_VERIFIED = type("snapshot.verified", SnapshotVerified.class, Topics.SNAPSHOT_EVENTS);
    public static final MessageType<SnapshotDeleted> SNAPSHOT_DELETED = type("snapshot.deleted", SnapshotDeleted.class, Topics.SNAPSHOT_EVENTS);
    public static final MessageType<StorageDeleteRequested> STORAGE_DELETE_REQUESTED = type("storage.delete.requested", StorageDeleteRequested.class, Topics.STORAGE_COMMANDS);
    public static final MessageType<StorageObjectDeleted> STORAGE_OBJECT_DELETED = type("storage.object.deleted", StorageObjectDeleted.class, Topics.STORAGE_REPORTS);
    public static final MessageType<StorageDeleteFailed> STORAGE_DELETE_FAILED = type("storage.delete.failed", StorageDeleteFailed.class, Topics.STORAGE_REPORTS);
    public static final MessageType<ScheduleMissed> SCHEDULE_MISSED = type("schedule.missed", ScheduleMissed.class, Topics.SCHEDULE_EVENTS);
    public static final MessageType<RestoreJobRequested> RESTORE_JOB_REQUESTED = type("restore.job.requested", RestoreJobRequested.class, Topics.RESTORE_COMMANDS);
    public static final MessageType<RestoreJobStarted> RESTORE_JOB_STARTED = type("restore.job.started", RestoreJobStarted.class, Topics.RESTORE_REPORTS);
    public static final MessageType<RestoreJobProgress> RESTORE_JOB_PROGRESS = type("restore.job.progress", RestoreJobProgress.class, Topics.RESTORE_REPORTS);
    public static final MessageType<RestoreJobCompleted> RESTORE_JOB_COMPLETED = type("restore.job.completed", RestoreJobCompleted.class, Topics.RESTORE_REPORTS);
    public static final MessageType<RestoreJobFailed> RESTORE_JOB_FAILED = type("restore.job.failed", RestoreJobFailed.class, Topics.RESTORE_REPORTS);
    public static final MessageType<RestoreJobCancelled> RESTORE_JOB_CANCELLED = type("restore.job.cancelled", RestoreJobCancelled.class, Topics.RESTORE_REPORTS);
    public static final MessageType<RestoreRequest> RESTORE_REQUESTED = type("restore.requested", RestoreRequest.class, Topics.RESTORE_REQUESTS);
    public static final MessageType<RestoreAccepted> RESTORE_ACCEPTED = type("restore.accepted", RestoreAccepted.class, Topics.RESTORE_EVENTS);
    public static final MessageType<RestoreRejected> RESTORE_REJECTED = type("restore.rejected", RestoreRejected.class, Topics.RESTORE_EVENTS);
    public static final MessageType<RestoreStarted> RESTORE_STARTED = type("restore.started", RestoreStarted.class, Topics.RESTORE_EVENTS);
    public static final MessageType<RestoreCompleted> RESTORE_COMPLETED = type("restore.completed", RestoreCompleted.class, Topics.RESTORE_EVENTS);
    public static final MessageType<RestoreFailed> RESTORE_FAILED = type("restore.failed", RestoreFailed.class, Topics.RESTORE_EVENTS);

    public static final MessageType<RestoreCancelled> RESTORE_CANCELLED = type("restore.cancelled", RestoreCancelled.class, Topics.RESTORE_EVENTS);

    public static final List<MessageType<?>> ALL = List.of(
            BACKUP_REQUESTED, BACKUP_STARTED, BACKUP_PROGRESS, BACKUP_COMPLETED, BACKUP_FAILED, VOLUME_STATE,
            SNAPSHOT_CREATED, SNAPSHOT_COMPLETED, SNAPSHOT_FAILED, SNAPSHOT_VERIFIED, SNAPSHOT_DELETED, SCHEDULE_MISSED,
            STORAGE_DELETE_REQUESTED, STORAGE_OBJECT_DELETED, STORAGE_DELETE_FAILED,
            RESTORE_JOB_REQUESTED, RESTORE_JOB_STARTED, RESTORE_JOB_PROGRESS, RESTORE_JOB_COMPLETED, RESTORE_JOB_FAILED,
            RESTORE_REQUESTED, RESTORE_ACCEPTED, RESTORE_REJECTED, RESTORE_STARTED, RESTORE_COMPLETED, RESTORE_FAILED,
            JOB_CANCEL_REQUESTED, BACKUP_CANCELLED, RESTORE_JOB_CANCELLED, SNAPSHOT_CANCELLED, RESTORE_CANCELLED);

    /** The type for a {@code ce_type} header value, if we know it. */
    public static Optional<MessageType<?>> byCeType(String ceType) {
        return ALL.stream().filter(t -> t.ceType().equals(ceType)).findFirst();
    }

    /** The type whose payload is the given record class. */
    @SuppressWarnings("unchecked")
    public static <T> MessageType<T> of(Class<T> payload) {
        return (MessageType<T>) ALL.stream().filter(t -> t.payload().equals(payload)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a message: " + payload.getName()));
    }

    private static <T> MessageType<T> type(String name, Class<T> payload, String topic) {
        return new MessageType<>("io.databasement." + name + ".v1", payload, topic, "schemas/" + name + ".v1.json");
    }

    private MessageTypes() {
    }
}
