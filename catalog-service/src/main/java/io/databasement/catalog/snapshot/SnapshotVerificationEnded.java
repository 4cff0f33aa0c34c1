package io.databasement.catalog.snapshot;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.SnapshotVerified;

/**
 * The public event of a snapshot's verification that ended, as other features listen for it (after the commit
 * that decided it): a schedule tells its webhook about a snapshot that does not restore.
 */
public interface SnapshotVerificationEnded extends OutboxMessage {

    @Override
    SnapshotVerified payload();
}
