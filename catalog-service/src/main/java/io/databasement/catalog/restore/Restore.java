package io.databasement.catalog.restore;

import io.databasement.catalog.messaging.TraceParent;
import io.databasement.contracts.RestoreJobCancelled;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A restore job. Like a snapshot, it guards its own life: every change checks the status transition and the
 * current attempt, and {@code @Version} makes concurrent changes fail rather than interleave.
 */
@Table("restores")
public class Restore {

    @Id
    private UUID id;
    private UUID snapshotId;
    private UUID targetServerId;
    private String targetServerName;
    private String targetDatabase;
    private RestoreMode mode;
    private boolean targetExists;
    private RestoreStatus status;
    private String requestedBy;
    private String correlationId;
    private UUID attemptId;
    private int attempts;
    private Instant lastHeartbeatAt;
    /** After a lost attempt: no attempt may claim the job before this; then the lease watch sends its command again. */
    private Instant retryAt;
    private Long bytesSoFar;
    private Long totalBytes;
    private Instant createdAt;
    private Instant startedAt;
    private Instant completedAt;
    private Long durationMs;
    private Long bytesRestored;
    private String error;
    /** Someone asked to cancel the running attempt; the restore stays IN_PROGRESS until its worker reports the end. */
    private Instant cancelRequestedAt;
    private String cancelRequestedBy;
    /** The W3C traceparent of what asked for the job; its command carries it whenever it is sent (null: none). */
    private String traceParent;
    /** The current attempt claimed its swap: from here on it runs to its end and cannot be cancelled. */
    private Instant swapClaimedAt;
    @Version
    private Integer version;

    @PersistenceCreator
    Restore() {
    }

    static Restore request(UUID id, UUID snapshotId, UUID targetServerId, String targetServerName, String targetDatabase,
                           RestoreMode mode, boolean targetExists, String requestedBy, String correlationId, Instant now) {
        Restore r = new Restore();
        r.id = id;
        r.traceParent = TraceParent.current();
        r.snapshotId = snapshotId;
        r.targetServerId = targetServerId;
        r.targetServerName = targetServerName;
        r.targetDatabase = targetDatabase;
        r.mode = mode;
        r.targetExists = targetExists;
        r.requestedBy = requestedBy;
        r.correlationId = correlationId;
        r.status = RestoreStatus.PENDING;
        r.createdAt = now;
        return r;
    }

    enum Claim {
        GRANTED, ALREADY_HELD,
        /** The current attempt claimed again (before its swap) after a cancel was asked for: it is CANCELLED now. */
        CANCELLED_BEFORE_SWAP,
        REFUSED
    }

    /**
     * Same rule as a snapshot's claim: PENDING, or IN_PROGRESS under an attempt whose lease ran out (unless a cancel
     * was asked for), is open; the current attempt claiming again (a restore worker does, just before its swap) is
     * told yes, and the swap is then no longer cancellable, unless a cancel came first: then the restore ends
     * CANCELLED here, since its worker, refused, drops the staging database and never swaps.
     */
    Claim claim(UUID attempt, Instant now, Duration lease) {
        if (status == RestoreStatus.IN_PROGRESS && attempt.equals(attemptId)) {
            if (cancelRequestedAt != null) {
                end(RestoreStatus.CANCELLED, cancelledBy() + " before the swap; the target was not touched", now);
                return Claim.CANCELLED_BEFORE_SWAP;
            }
            swapClaimedAt = swapClaimedAt == null ? now : swapClaimedAt;
            return Claim.ALREADY_HELD;
        }
        // once an attempt claimed its swap, the target may have been changed: no other attempt may start over
        boolean open = status == RestoreStatus.PENDING
                || status == RestoreStatus.IN_PROGRESS && cancelRequestedAt == null && swapClaimedAt == null
                && (attemptId == null ? retryAt == null || !now.isBefore(retryAt) : leaseExpired(now, lease));
        if (!open) {
            return Claim.REFUSED;
        }
        status = RestoreStatus.IN_PROGRESS;
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
     * A restore someone asked to cancel (which was then not yet swapping) is not retried: it is CANCELLED.
     * Only a restore whose target is known untouched is retried: one lost after its attempt claimed the swap FAILS,
     * with a reason that says the target must be checked.
     */
    Lost expire(Instant now, Duration lease, int maxAttempts, Duration firstBackoff) {
        if (status != RestoreStatus.IN_PROGRESS || attemptId == null || !leaseExpired(now, lease)) {
            return Lost.ALIVE;
        }
        UUID lost = attemptId;
        if (cancelRequestedAt != null) {
            end(RestoreStatus.CANCELLED, cancelledBy() + "; attempt " + lost + " sent no heartbeat for "
                    + lease.toSeconds() + " s after the request", now);
            return Lost.CANCEL;
        }
        if (swapClaimedAt != null) {
            status = RestoreStatus.FAILED;
            error = "lost during the swap: attempt " + lost + " sent no heartbeat for " + lease.toSeconds()
                    + " s after it began swapping into " + targetDatabase + "; not retried, since the target may"
                    + " already hold the restored data or still the old; check it (a staging or old copy may be left)";
            completedAt = now;
            durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
            return Lost.FAIL;
        }
        if (attempts < maxAttempts) {
            attemptId = null;
            // first loss: firstBackoff, then twice as long after each further one
            retryAt = now.plus(firstBackoff.multipliedBy(1L << Math.min(attempts - 1, 20)));
            lastHeartbeatAt = now;
            bytesSoFar = null;
            return Lost.REISSUE;
        }
        status = RestoreStatus.FAILED;
        error = "lost: attempt " + lost + " sent no heartbeat for " + lease.toSeconds() + " s, after " + attempts
                + " attempt(s)";
        completedAt = now;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
        return Lost.FAIL;
    }

    /** What a cancel request did. */
    enum Cancel {
        /** No worker had the restore (queued, or waiting for its command to be claimed again): CANCELLED now. */
        CANCELLED,
        /** A worker runs it: the cancel command goes to the workers (again, if it was asked for before). */
        REQUESTED,
        /** Its worker claimed the swap: it runs to its end. */
        SWAPPING,
        /** The restore already ended: it keeps its status. */
        TOO_LATE
    }

    /**
     * Someone asks to stop the restore. One no worker holds ends at once; a running attempt is told to stop and the
     * restore ends when its worker reports it, or at the attempt's claim before its swap, whichever comes first.
     */
    Cancel cancel(String by, Instant now) {
        if (status != RestoreStatus.PENDING && status != RestoreStatus.IN_PROGRESS) {
            return Cancel.TOO_LATE;
        }
        if (swapClaimedAt != null) {
            return Cancel.SWAPPING;
        }
        cancelRequestedAt = cancelRequestedAt == null ? now : cancelRequestedAt;
        cancelRequestedBy = cancelRequestedBy == null ? by : cancelRequestedBy;
        if (status == RestoreStatus.PENDING || attemptId == null) {
            end(RestoreStatus.CANCELLED, cancelledBy() + " before a worker took it", now);
            return Cancel.CANCELLED;
        }
        return Cancel.REQUESTED;
    }

    /** The reason the catalog gives for a cancel, and the workers pass on. */
    String cancelledBy() {
        return "cancelled" + (cancelRequestedBy == null ? "" : " by " + cancelRequestedBy);
    }

    boolean cancelled(RestoreJobCancelled report, Instant now) {
        if (!status.canMoveTo(RestoreStatus.CANCELLED)) {
            return false;
        }
        end(RestoreStatus.CANCELLED, report.reason(), report.cancelledAt() != null ? report.cancelledAt() : now);
        lastHeartbeatAt = now;
        return true;
    }

    private void end(RestoreStatus end, String reason, Instant at) {
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
        if (status != RestoreStatus.IN_PROGRESS || attemptId != null || retryAt == null || now.isBefore(retryAt)) {
            return false;
        }
        retryAt = null;
        lastHeartbeatAt = now;
        return true;
    }

    boolean leaseExpired(Instant now, Duration lease) {
        return lastHeartbeatAt == null || lastHeartbeatAt.plus(lease).isBefore(now);
    }

    /** Only the current attempt's reports count; an unclaimed job is adopted by the attempt that reports its start. */
    boolean isCurrent(UUID attempt, boolean startReport) {
        if (attempt == null) {
            return false;
        }
        if (attemptId == null) {
            return startReport && status == RestoreStatus.PENDING;
        }
        return attemptId.equals(attempt);
    }

    /** @return false if the report came too late for the status */
    boolean started(RestoreJobStarted report, Instant now) {
        if (status == RestoreStatus.PENDING) {
            status = RestoreStatus.IN_PROGRESS;
            attemptId = report.attemptId();
            attempts++;
        } else if (status != RestoreStatus.IN_PROGRESS || startedAt != null) {
            // a second start of the same attempt (a redelivery under another ce_id) changes nothing
            return false;
        }
        startedAt = report.startedAt() != null ? report.startedAt() : now;
        lastHeartbeatAt = now;
        return true;
    }

    boolean progressed(RestoreJobProgress report, Instant now) {
        if (status != RestoreStatus.IN_PROGRESS) {
            return false;
        }
        // our own clock: leases are judged against it
        lastHeartbeatAt = now;
        bytesSoFar = report.bytesRead();
        totalBytes = report.totalBytes();
        return true;
    }

    boolean completed(RestoreJobCompleted report, Instant now) {
        if (!status.canMoveTo(RestoreStatus.COMPLETED)) {
            return false;
        }
        status = RestoreStatus.COMPLETED;
        if (startedAt == null) {
            startedAt = report.startedAt();
        }
        completedAt = report.completedAt() != null ? report.completedAt() : now;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
        bytesRestored = report.bytesRestored();
        bytesSoFar = report.bytesRestored();
        lastHeartbeatAt = now;
        return true;
    }

    boolean failed(RestoreJobFailed report, Instant now) {
        return fail(report.reason(), report.failedAt() != null ? report.failedAt() : now, now);
    }

    boolean fail(String reason, Instant at, Instant now) {
        if (!status.canMoveTo(RestoreStatus.FAILED)) {
            return false;
        }
        status = RestoreStatus.FAILED;
        error = reason;
        completedAt = at;
        durationMs = startedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
        lastHeartbeatAt = now;
        return true;
    }

    public UUID id() { return id; }
    public UUID snapshotId() { return snapshotId; }
    public UUID targetServerId() { return targetServerId; }
    public String targetServerName() { return targetServerName; }
    public String targetDatabase() { return targetDatabase; }
    public RestoreMode mode() { return mode; }
    public boolean targetExists() { return targetExists; }
    public RestoreStatus status() { return status; }
    public String requestedBy() { return requestedBy; }
    public String correlationId() { return correlationId; }
    public UUID attemptId() { return attemptId; }
    public int attempts() { return attempts; }
    public Instant lastHeartbeatAt() { return lastHeartbeatAt; }

    public Instant retryAt() { return retryAt; }
    public Long bytesSoFar() { return bytesSoFar; }
    public Long totalBytes() { return totalBytes; }
    public Instant createdAt() { return createdAt; }
    public Instant startedAt() { return startedAt; }
    public Instant completedAt() { return completedAt; }
    public Long durationMs() { return durationMs; }
    public Long bytesRestored() { return bytesRestored; }
    public String error() { return error; }
    public Instant cancelRequestedAt() { return cancelRequestedAt; }

    public String traceParent() { return traceParent; }
    public String cancelRequestedBy() { return cancelRequestedBy; }
    public Instant swapClaimedAt() { return swapClaimedAt; }
}
