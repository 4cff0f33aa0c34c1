package io.databasement.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Report: bytes so far; also the attempt's heartbeat (sent at most every 2 s, at least while the tool runs).
 *
 * @param rawBytes        bytes read from the dump tool
 * @param compressedBytes bytes written to storage
 */
public record BackupProgress(UUID jobId, UUID attemptId, long rawBytes, long compressedBytes, Instant at) {
}
