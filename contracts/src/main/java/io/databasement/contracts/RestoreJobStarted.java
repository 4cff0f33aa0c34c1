package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: an attempt claimed the restore and is loading the snapshot into a staging database.
 *
 * @param stagingDatabase     where the snapshot is loaded before it is swapped in
 * @param targetDatabaseVersion the target server's version string
 * @param toolVersion         the restore tool's version line
 */
public record RestoreJobStarted(UUID jobId, UUID attemptId, String stagingDatabase, String targetDatabaseVersion,
                                String toolVersion, Instant startedAt) {
}
