package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.TraceParent;
import io.databasement.contracts.BackupCancelled;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A snapshot (the backup job and, once completed, its artifact). The aggregate guards its own life:
 * every change goes through a method that checks the status transition and the current attempt, and
 * {@code @Version} makes concurrent changes (two claims, a claim and a report) fail rather than interleave.
 */
@Table("snapshots")
public class Snapshot {

    @Id
    private UUID id;
    private UUID serverId;
    private String serverName;
    @Column("database_name")
    private String database;
    private UUID volumeId;
    private String volumeName;
    private String volumeLocation;
    private String compression;
    private int compressionLevel;
    private SnapshotStatus status;
    private UUID attemptId;
    private int attempts;
    private Instant lastHeartbeatAt;
    /** After a lost attempt: no attempt may claim the job before this; then the lease watch sends its command again. */
    private Instant retryAt;
    private Long bytesSoFar;
    private Instant createdAt;
    private Instant startedAt;
    private Instant completedAt;
    private Long durationMs;
    private Long sizeBytes;
    private Long rawSizeBytes;
    private String sha256;
    private String objectKey;
    private String databaseType;
    private String databaseVersion;
    private String error;
    private boolean locked;
    private UUID scheduleId;
    private Instant deletionRequestedAt;
    private String deletionReason;
    private int deletionAttempts;
    private Instant deletionNextAttemptAt;
    /** JSON array of {@link io.databasement.contracts.TableStats}, as counted from the dump stream. */
    private String tableStats;
    private VerificationStatus verificationStatus;
    private UUID verificationRestoreId;
    private Instant verifiedAt;
    private Long verificationDurationMs;
    /** JSON: the worker's {@link io.databasement.contracts.Verification}, or {@code {"error": "..."}}. */
    private String verificationDetail;
    /** Someone asked to cancel the running attempt; the job stays RUNNING until its worker reports the end. */
    private Instant cancelRequestedAt;
    private String cancelRequestedBy;
    /** The W3C traceparent of what asked for the job; its command carries it whenever it is sent (null: none). */
    private String traceParent;
    @Version
    private Integer version;

    @PersistenceCreator
    Snapshot() {
    }

    static Snapshot request(UUID id, UUID serverId, String serverName, String database, UUID volumeId, String volumeName,
                            String volumeLocation, String compression, int compressionLevel, Instant now) {
        Snapshot s = new Snapshot();
        s.id = id;
        s.traceParent = TraceParent.current();
        s.serverId = serverId;
        s.serverName = serverName;
        s.database = database;
        s.volumeId = volumeId;
        s.volumeName = volumeName;
        s.volumeLocation = volumeLocation;
        s.compression = compression;
        s.compressionLevel = compressionLevel;
        s.status = SnapshotStatus.PENDING;
        s.createdAt = now;
        return s;
    }

    /** The schedule whose tick asked for this snapshot (null: asked for by hand). */
    void scheduledBy(UUID schedule) {
        this.scheduleId = schedule;
    }

    /** Outcome of a worker's claim. */
    enum Claim { GRANTED, ALREADY_HELD, REFUSED }

    /**
     * A worker asks to run the job as {@code attempt}. Granted when the job is PENDING, or RUNNING under an
     * attempt whose lease ran out (the worker died: its successor replaces it) unless a cancel was asked for;
     * the same attempt claiming again is told yes without change.
     */
    Claim claim(UUID attempt, Instant now, Duration lease) {
        if (status == SnapshotStatus.RUNNING && attempt.equals(attemptId)) {
            return Claim.ALREADY_HELD;
        }
        boolean open = status == SnapshotStatus.PENDING
                || status == SnapshotStatus.RUNNING && cancelRequestedAt == null
                && (attemptId == null ? retryAt == null || !now.isBefore(retryAt) : leaseExpired(now, lease));
        if (!open) {
            return Claim.REFUSED;
        }
        status = SnapshotStatus.RUNNING;
        attemptId = attempt;
        attempts++;
        lastHeartbeatAt = now;
        retryAt = null;
        bytesSoFar = null;
        return Claim.GRANTED;
    }

    /** What the lease watch does with an attempt that went silent. */
    enum Lost { ALIVE, REISSUE, FAIL, CANCEL }

    /**
     * The current attempt sent no heartbeat for a lease: its worker is gone, and a redelivered command was
     * dropped by workers while the lease still ran. Up to {@code maxAttempts} attempts, the job is opened again
     * after a backoff (no current attempt and nobody may claim it until {@link #retryDue}; then the lease watch
     * sends the command again and the next claim takes it); then it fails.
     * A job someone asked to cancel is not retried: it is CANCELLED (a dead worker's partial upload is swept by
     * storage).
     */
    Lost expire(Instant now, Duration lease, int maxAttempts, Duration firstBackoff) {
        if (status != SnapshotStatus.RUNNING || attemptId == null || !leaseExpired(now, lease)) {
            return Lost.ALIVE;
        }
        UUID lost = attemptId;
        if (cancelRequestedAt != null) {
            end(SnapshotStatus.CANCELLED, cancelledBy() + "; attempt " + lost + " sent no heartbeat for "
                    + lease.toSeconds() + " s after the request", now);
            return Lost.CANCEL;
        }
        if (attempts < maxAttempts) {
            attemptId = null;
            // first loss: firstBackoff, then twice as long after each further one
            retryAt = now.plus(firstBackoff.multipliedBy(1L << Math.min(attempts - 1, 20)));
            lastHeartbeatAt = now;
            bytesSoFar = null;
            return Lost.REISSUE;
        }
        status = SnapshotStatus.FAILED;
        error = "lost: attempt " + lost + " sent no heartbeat for " + lease.toSeconds() + " s, after " + attempts
                + " attempt(s)";
        completedAt = now;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
        return Lost.FAIL;
    }

    /** What a cancel request did. */
    enum Cancel {
        /** No worker had the job (queued, or waiting for its command to be claimed again): it is CANCELLED now. */
        CANCELLED,
        /** A worker runs it: the cancel command goes to the workers (again, if it was asked for before). */
        REQUESTED,
        /** The job already ended: it keeps its status. */
        TOO_LATE
    }

    /**
     * Someone asks to stop the job. A job no worker holds ends at once (a command of it still under way is refused
     * at its claim); a running attempt is told to stop and the job ends when its worker reports it.
     */
    Cancel cancel(String by, Instant now) {
        if (status != SnapshotStatus.PENDING && status != SnapshotStatus.RUNNING) {
            return Cancel.TOO_LATE;
        }
        cancelRequestedAt = cancelRequestedAt == null ? now : cancelRequestedAt;
        cancelRequestedBy = cancelRequestedBy == null ? by : cancelRequestedBy;
        if (status == SnapshotStatus.PENDING || attemptId == null) {
            end(SnapshotStatus.CANCELLED, cancelledBy() + " before a worker took it", now);
            return Cancel.CANCELLED;
        }
        return Cancel.REQUESTED;
    }

    /** The reason the catalog gives for a cancel, and the workers pass on. */
    String cancelledBy() {
        return "cancelled" + (cancelRequestedBy == null ? "" : " by " + cancelRequestedBy);
    }

    boolean cancelled(BackupCancelled report, Instant now) {
        if (!status.canMoveTo(SnapshotStatus.CANCELLED)) {
            return false;
        }
        end(SnapshotStatus.CANCELLED, report.reason(), report.cancelledAt() != null ? report.cancelledAt() : now);
        lastHeartbeatAt = now;
        return true;
    }

    private void end(SnapshotStatus end, String reason, Instant at) {
        status = end;
        error = reason;
        completedAt = at;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
    }

    /**
     * The backoff after a lost attempt is over: the caller sends the command again, which gets a lease of its own
     * to be claimed in. False when the job waits for nothing (or not yet).
     */
    boolean retryDue(Instant now) {
        if (status != SnapshotStatus.RUNNING || attemptId != null || retryAt == null || now.isBefore(retryAt)) {
            return false;
        }
        retryAt = null;
        lastHeartbeatAt = now;
        return true;
    }

    boolean leaseExpired(Instant now, Duration lease) {
        return lastHeartbeatAt == null || lastHeartbeatAt.plus(lease).isBefore(now);
    }

    /**
     * Whether a report of {@code attempt} may touch this snapshot: only the current attempt's reports count.
     * A job never claimed (a worker that does not claim) is adopted by the attempt that reports it started.
     */
    boolean isCurrent(UUID attempt, boolean startReport) {
        if (attempt == null) {
            return false;
        }
        if (attemptId == null) {
            return startReport && status == SnapshotStatus.PENDING;
        }
        return attemptId.equals(attempt);
    }

    /** @return false if the report came too late for the status (a stale or out-of-order report) */
    boolean started(BackupStarted report, Instant now) {
        if (status == SnapshotStatus.PENDING) {
            status = SnapshotStatus.RUNNING;
            attemptId = report.attemptId();
            attempts++;
        } else if (status != SnapshotStatus.RUNNING) {
            return false;
        }
        startedAt = report.startedAt() != null ? report.startedAt() : now;
        objectKey = report.objectKey();
        databaseType = report.databaseType();
        databaseVersion = report.databaseVersion();
        lastHeartbeatAt = now;
        return true;
    }

    boolean progressed(BackupProgress report, Instant now) {
        if (status != SnapshotStatus.RUNNING) {
            return false;
        }
        // our own clock: leases are judged against it, and a worker's clock may drift
        lastHeartbeatAt = now;
        bytesSoFar = report.rawBytes();
        return true;
    }

    boolean completed(BackupCompleted report, Instant now) {
        if (!status.canMoveTo(SnapshotStatus.COMPLETED)) {
            return false;
        }
        status = SnapshotStatus.COMPLETED;
        if (report.startedAt() != null && startedAt == null) {
            startedAt = report.startedAt();
        }
        completedAt = report.completedAt() != null ? report.completedAt() : now;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
        sizeBytes = report.sizeBytes();
        rawSizeBytes = report.rawSizeBytes();
        // the last heartbeat may predate the end of the stream: a finished snapshot read everything
        bytesSoFar = report.rawSizeBytes();
        sha256 = report.sha256();
        objectKey = report.objectKey();
        if (report.databaseType() != null) {
            databaseType = report.databaseType();
        }
        if (report.databaseVersion() != null) {
            databaseVersion = report.databaseVersion();
        }
        lastHeartbeatAt = now;
        return true;
    }

    boolean failed(BackupFailed report, Instant now) {
        if (!status.canMoveTo(SnapshotStatus.FAILED)) {
            return false;
        }
        status = SnapshotStatus.FAILED;
        error = report.reason();
        completedAt = report.failedAt() != null ? report.failedAt() : now;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
        lastHeartbeatAt = now;
        return true;
    }

    /** Keeps the table statistics the backup worker counted from the dump (JSON), with the completion. */
    void recordTableStats(String json) {
        tableStats = json;
    }

    /**
     * A verification by restore {@code restoreId} is asked for. Only a COMPLETED snapshot is verified, and one
     * verification at a time: a new one replaces the result of the last.
     *
     * @return false if the snapshot is not COMPLETED or a verification is already under way
     */
    boolean verificationRequested(UUID restoreId) {
        if (status != SnapshotStatus.COMPLETED || verificationUnderWay()) {
            return false;
        }
        verificationStatus = VerificationStatus.PENDING;
        verificationRestoreId = restoreId;
        verifiedAt = null;
        verificationDurationMs = null;
        verificationDetail = null;
        return true;
    }

    /** A verification could not even start (server gone or unreachable, engines differ): it failed, for that reason. */
    boolean verificationRefused(Instant at, String detailJson) {
        if (status != SnapshotStatus.COMPLETED || verificationUnderWay()) {
            return false;
        }
        verificationStatus = VerificationStatus.FAILED;
        verificationRestoreId = null;
        verifiedAt = at;
        verificationDurationMs = 0L;
        verificationDetail = detailJson;
        return true;
    }

    boolean verificationUnderWay() {
        return verificationStatus == VerificationStatus.PENDING || verificationStatus == VerificationStatus.RUNNING;
    }

    /** @return false for a restore that is not this snapshot's current verification */
    boolean verificationRunning(UUID restoreId) {
        if (!restoreId.equals(verificationRestoreId) || verificationStatus != VerificationStatus.PENDING) {
            return false;
        }
        verificationStatus = VerificationStatus.RUNNING;
        return true;
    }

    /** @return false for a restore that is not this snapshot's current verification, or one that already ended */
    boolean verificationEnded(UUID restoreId, boolean passed, Instant at, long durationMs, String detailJson) {
        if (!restoreId.equals(verificationRestoreId) || !verificationUnderWay()) {
            return false;
        }
        verificationStatus = passed ? VerificationStatus.PASSED : VerificationStatus.FAILED;
        verifiedAt = at;
        verificationDurationMs = durationMs;
        verificationDetail = detailJson;
        return true;
    }

    /** Locked snapshots are never deleted, by hand or by retention. @return false if nothing changed */
    boolean lock(boolean lock) {
        if (locked == lock) {
            return false;
        }
        locked = lock;
        return true;
    }

    /** The backup ended; its file is to be removed. The first storage command goes out with this change. */
    void markDeleting(String reason, Instant now, Instant nextAttemptAt) {
        if (!status.canMoveTo(SnapshotStatus.DELETING)) {
            throw new IllegalStateException("snapshot " + id + " is " + status + ", it cannot be deleted");
        }
        status = SnapshotStatus.DELETING;
        deletionRequestedAt = now;
        deletionReason = reason;
        deletionAttempts = 1;
        deletionNextAttemptAt = nextAttemptAt;
    }

    /** The storage command is sent again (storage was down, lost it, or refused it until now). */
    void deletionResent(Instant nextAttemptAt) {
        deletionAttempts++;
        deletionNextAttemptAt = nextAttemptAt;
    }

    /**
     * Storage could not delete the file. The reason is shown in {@code error}; when no retry can help
     * ({@code retryable} false) the sweep stops re-sending, until someone asks to delete it again.
     */
    void deletionFailed(String reason, boolean retryable) {
        error = "deletion failed: " + reason;
        if (!retryable) {
            deletionNextAttemptAt = null;
        }
    }

    /** Storage refused for good: nothing will re-send the command by itself. */
    boolean deletionStalled() {
        return status == SnapshotStatus.DELETING && deletionNextAttemptAt == null;
    }

    public UUID id() { return id; }
    public UUID serverId() { return serverId; }
    public String serverName() { return serverName; }
    public String database() { return database; }
    public UUID volumeId() { return volumeId; }
    public String volumeName() { return volumeName; }
    public String volumeLocation() { return volumeLocation; }
    public String compression() { return compression; }
    public int compressionLevel() { return compressionLevel; }
    public SnapshotStatus status() { return status; }
    public UUID attemptId() { return attemptId; }
    public int attempts() { return attempts; }
    public Instant lastHeartbeatAt() { return lastHeartbeatAt; }

    public Instant retryAt() { return retryAt; }
    public Long bytesSoFar() { return bytesSoFar; }
    public Instant createdAt() { return createdAt; }
    public Instant startedAt() { return startedAt; }
    public Instant completedAt() { return completedAt; }
    public Long durationMs() { return durationMs; }
    public Long sizeBytes() { return sizeBytes; }
    public Long rawSizeBytes() { return rawSizeBytes; }
    public String sha256() { return sha256; }
    public String objectKey() { return objectKey; }
    public String databaseType() { return databaseType; }
    public String databaseVersion() { return databaseVersion; }
    public String error() { return error; }
    public boolean locked() { return locked; }
    public UUID scheduleId() { return scheduleId; }
    public Instant deletionRequestedAt() { return deletionRequestedAt; }
    public String deletionReason() { return deletionReason; }
    public int deletionAttempts() { return deletionAttempts; }
    public Instant deletionNextAttemptAt() { return deletionNextAttemptAt; }
    public String tableStats() { return tableStats; }
    public VerificationStatus verificationStatus() { return verificationStatus; }
    public UUID verificationRestoreId() { return verificationRestoreId; }
    public Instant verifiedAt() { return verifiedAt; }
    public Long verificationDurationMs() { return verificationDurationMs; }
    public Instant cancelRequestedAt() { return cancelRequestedAt; }

    public String traceParent() { return traceParent; }
    public String cancelRequestedBy() { return cancelRequestedBy; }
    public String verificationDetail() { return verificationDetail; }
}
