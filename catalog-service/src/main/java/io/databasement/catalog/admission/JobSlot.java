package io.databasement.catalog.admission;

import java.time.Instant;
import java.util.UUID;

/** An open job as admission tracks it: which database it works on, and whether its command went out. */
public record JobSlot(UUID jobId, JobKind kind, UUID serverId, String database, boolean dispatched, Instant createdAt) {
}
