package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.OutboxMessage;
import java.util.UUID;

/**
 * The public event of a snapshot that reached COMPLETED or FAILED, as other features listen for it (after the
 * commit that decided it): schedules update their health and apply retention.
 */
public interface SnapshotEnded extends OutboxMessage {

    UUID snapshotId();

    /** true for COMPLETED, false for FAILED. */
    boolean completed();
}
