package io.databasement.worker.intake;

/** What to do with the command once its job has ended. */
public enum JobOutcome {
    /** Done (completed, failed and reported, or refused by the catalog): commit it. */
    ACK,
    /** Not handled (the catalog could not be reached): leave it uncommitted and have Kafka deliver it again. */
    REDELIVER
}
