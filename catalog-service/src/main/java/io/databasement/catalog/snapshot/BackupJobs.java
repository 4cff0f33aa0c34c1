package io.databasement.catalog.snapshot;

import io.databasement.catalog.admission.JobHandler;
import io.databasement.catalog.admission.JobKind;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Backups as admission sees them. */
@Component
class BackupJobs implements JobHandler {

    private final SnapshotService snapshots;

    BackupJobs(SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public JobKind kind() {
        return JobKind.BACKUP;
    }

    @Override
    public void dispatch(UUID jobId, Instant now) {
        snapshots.dispatch(jobId, now);
    }

    @Override
    public Optional<String> claim(UUID jobId, UUID attemptId) {
        return snapshots.claim(jobId, attemptId).map(s -> s.status().name());
    }

    @Override
    public int expireLostAttempts() {
        return snapshots.expireLostAttempts();
    }

    @Override
    public int sendDueRetries() {
        return snapshots.sendDueRetries();
    }
}
