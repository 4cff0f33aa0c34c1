package io.databasement.catalog.snapshot;

import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Workers claim a job before running it (service token, see {@code ServiceTokenFilter}). */
@RestController
class JobAttemptController {

    private final SnapshotService service;

    JobAttemptController(SnapshotService service) {
        this.service = service;
    }

    @PostMapping("/internal/jobs/{jobId}/attempts/{attemptId}")
    ClaimView claim(@PathVariable UUID jobId, @PathVariable UUID attemptId) {
        Snapshot snapshot = service.claim(jobId, attemptId);
        return new ClaimView(jobId, attemptId, snapshot.status());
    }

    record ClaimView(UUID jobId, UUID attemptId, SnapshotStatus status) {
    }
}
