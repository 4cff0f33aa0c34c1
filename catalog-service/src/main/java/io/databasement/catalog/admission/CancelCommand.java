package io.databasement.catalog.admission;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.JobCancelRequested;
import java.time.Instant;
import java.util.UUID;

/**
 * The outbox entry that tells every worker process to stop a running job ({@code dbm.job.cancellations}); written in
 * the transaction that records the cancel request, sent after commit.
 */
public record CancelCommand(String ceId, Instant occurredAt, JobCancelRequested payload) implements OutboxMessage {

    public static CancelCommand of(UUID jobId, JobKind kind, String reason, String requestedBy, Instant now) {
        return new CancelCommand(UUID.randomUUID().toString(), now,
                new JobCancelRequested(jobId, kind.wire(), reason, requestedBy, now));
    }

    @Override
    public String key() {
        return payload.jobId().toString();
    }
}
