package io.databasement.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Public event (dead-man's switch): a schedule produced no COMPLETED snapshot within its period plus its grace
 * time. Sent once per episode; the schedule's health is MISSED until one of its snapshots completes.
 *
 * @param serverId        null once the server was deleted
 * @param lastCompletedAt the newest COMPLETED snapshot of the schedule; null if it never completed one
 * @param expectedBy      when a completed snapshot was due at the latest (its deadline, grace included)
 */
public record ScheduleMissed(UUID scheduleId, String scheduleName, UUID serverId, String serverName,
                             List<String> databases, Instant lastCompletedAt, Instant expectedBy, Instant detectedAt) {
}
