package io.databasement.catalog.snapshot;

/** Where a snapshot's verification stands (null on the snapshot: never asked for). */
public enum VerificationStatus {
    /** Asked for, the scratch restore not yet started. */
    PENDING,
    /** The scratch restore is running. */
    RUNNING,
    /** Restored into a scratch database, and every table's rows and checksum matched the dump. */
    PASSED,
    /** The scratch restore failed, or a table did not match. */
    FAILED
}
