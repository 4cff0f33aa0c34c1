package io.databasement.catalog.admission;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One kind of job (backup, restore) as admission sees it. Implemented by the feature that owns the job, so
 * admission never depends on the features.
 */
public interface JobHandler {

    JobKind kind();

    /**
     * Writes the job's command to the outbox. Called inside the transaction that admitted the job (its request,
     * or the end of the job it was queued behind).
     */
    void dispatch(UUID jobId, Instant now);

    /**
     * A worker claims the job for an attempt.
     *
     * @return the job's status after the claim, or empty if no job of this kind has that id
     * @throws io.databasement.catalog.web.CatalogException 409 if the job is not open to this attempt
     */
    Optional<String> claim(UUID jobId, UUID attemptId);

    /**
     * Deals with running jobs whose current attempt sent no heartbeat for a lease: opens the job for another
     * attempt after a backoff (see {@link #sendDueRetries()}), or fails the job (then frees its slot) once it has
     * lost too many attempts.
     *
     * @return how many jobs were opened again or failed
     */
    int expireLostAttempts();

    /**
     * Sends the command again of every job whose backoff after a lost attempt is over.
     *
     * @return how many commands were sent
     */
    int sendDueRetries();
}
