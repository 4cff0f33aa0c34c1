package io.databasement.catalog.admission;

import io.databasement.catalog.web.CatalogException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Workers claim a job (backup or restore) before running it, and a restore worker again before its swap
 * (service token, see {@code ServiceTokenFilter}).
 */
@RestController
class JobAttemptController {

    private final Admission admission;

    JobAttemptController(Admission admission) {
        this.admission = admission;
    }

    @PostMapping("/internal/jobs/{jobId}/attempts/{attemptId}")
    ClaimView claim(@PathVariable UUID jobId, @PathVariable UUID attemptId) {
        Optional<JobSlot> slot = admission.slot(jobId);
        if (slot.isPresent() && !slot.get().dispatched()) {
            // no command was sent for it yet: whoever claims it did not get it from us
            throw CatalogException.conflict("attempt-rejected", "Job not available", "job " + jobId
                    + " is queued behind " + admission.queuedBehind(jobId).orElse("another job") + "; drop the command");
        }
        for (JobHandler handler : admission.handlers()) {
            Optional<String> status = handler.claim(jobId, attemptId);
            if (status.isPresent()) {
                return new ClaimView(jobId, attemptId, status.get());
            }
        }
        throw CatalogException.notFound("job", jobId);
    }

    record ClaimView(UUID jobId, UUID attemptId, String status) {
    }
}
