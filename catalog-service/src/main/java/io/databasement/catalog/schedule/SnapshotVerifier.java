package io.databasement.catalog.schedule;

import java.util.UUID;

/** Starts a verification (scratch restore and comparison) of a completed snapshot. */
public interface SnapshotVerifier {

    void requestVerification(UUID snapshotId);
}
