package io.databasement.catalog.restore;

import io.databasement.catalog.admission.JobHandler;
import io.databasement.catalog.admission.JobKind;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Restores as admission sees them. */
@Component
class RestoreJobs implements JobHandler {

    private final RestoreService restores;

    RestoreJobs(RestoreService restores) {
        this.restores = restores;
    }

    @Override
    public JobKind kind() {
        return JobKind.RESTORE;
    }

    @Override
    public void dispatch(UUID jobId, Instant now) {
        restores.dispatch(jobId, now);
    }

    @Override
    public Optional<String> claim(UUID jobId, UUID attemptId) {
        return restores.claim(jobId, attemptId).map(r -> r.status().name());
    }

    @Override
    public int expireLostAttempts() {
        return restores.expireLostAttempts();
    }

    @Override
    public int sendDueRetries() {
        return restores.sendDueRetries();
    }
}
