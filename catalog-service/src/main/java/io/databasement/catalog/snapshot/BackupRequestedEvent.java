package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.BackupRequested;
import java.time.Instant;

/**
 * The outbox entry for a snapshot's backup command (stored by Modulith, sent after commit), with the trace context
 * of the request that asked for the snapshot (null: none).
 */
record BackupRequestedEvent(String ceId, Instant occurredAt, BackupRequested command, String traceparent) implements OutboxMessage {

    @Override
    public Object payload() {
        return command;
    }

    @Override
    public String key() {
        return command.jobId().toString();
    }
}
