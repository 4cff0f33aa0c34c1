package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Command, broadcast to every worker process: stop the running attempt of this job, clean up what it left (the
 * partial upload, the staging database) and report the attempt cancelled. A worker that does not run the job
 * ignores it. Key: job id.
 *
 * @param kind        {@code backup} or {@code restore}: which workers run the job
 * @param requestedBy the caller's token name as the gateway passed it; null when unknown
 */
public record JobCancelRequested(UUID jobId, String kind, String reason, String requestedBy, Instant requestedAt) {

    public static final String BACKUP = "backup";
    public static final String RESTORE = "restore";
}
