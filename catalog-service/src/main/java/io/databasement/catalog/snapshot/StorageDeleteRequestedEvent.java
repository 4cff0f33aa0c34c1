package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.StorageDeleteRequested;
import java.time.Instant;

/** The outbox entry asking storage-service to delete a snapshot's file (stored by Modulith, sent after commit). */
record StorageDeleteRequestedEvent(String ceId, Instant occurredAt, StorageDeleteRequested command) implements OutboxMessage {

    @Override
    public Object payload() {
        return command;
    }

    @Override
    public String key() {
        return command.requestId().toString();
    }
}
