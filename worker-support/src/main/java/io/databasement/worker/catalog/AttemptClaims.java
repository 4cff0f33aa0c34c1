package io.databasement.worker.catalog;

import java.util.UUID;

/** The catalog's word on whether this attempt may run the job (ARCHITECTURE "Attempts"). */
public interface AttemptClaims {

    /** One answer of the catalog; {@link Claim#UNREACHABLE} after retrying for a while. */
    Claim claim(UUID jobId, UUID attemptId);

    enum Claim {
        /** 200: this attempt is now the job's current one: go on. */
        GRANTED,
        /** 409 (finished or another live attempt) or 404 (no such job): drop the command, never run the job. */
        REFUSED,
        /** No answer we can act on: hand the command back to Kafka for redelivery. */
        UNREACHABLE
    }
}
