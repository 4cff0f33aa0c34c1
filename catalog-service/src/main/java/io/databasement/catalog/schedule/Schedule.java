package io.databasement.catalog.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A schedule as stored: what to back up, when, how long to keep it, and its running state (next tick, last
 * completion, health).
 *
 * @param retention null keeps everything
 * @param armedAt   created or last enabled at: its first tick is the first one after this
 */
public record Schedule(UUID id, String name, UUID serverId, List<String> databases, UUID volumeId, String compression,
                       int compressionLevel, String cron, String timeZone, Retention retention, boolean verify,
                       int graceMinutes, String webhookUrl, boolean enabled, Instant nextFireAt, Instant lastFiredAt,
                       Instant armedAt, Instant lastCompletedAt, Instant lastFailedAt, ScheduleHealth health,
                       Instant missedSince, Instant missedDeadline, Instant createdAt, Instant updatedAt, int version) {

    public ScheduleCron parsedCron() {
        return ScheduleCron.parse(cron, timeZone);
    }

    public Duration grace() {
        return Duration.ofMinutes(graceMinutes);
    }

    /**
     * When a COMPLETED snapshot is due at the latest (dead-man's switch). After a completion: that completion +
     * the period between the ticks around it + grace (so the next tick's snapshot may take as long as the last one
     * did, plus grace). Before any completion since it was created or enabled: its first tick + grace (grace must
     * then cover a backup's run time). Null when it never fires.
     */
    public Instant deadline(ScheduleCron cron) {
        if (lastCompletedAt != null && !lastCompletedAt.isBefore(armedAt)) {
            return lastCompletedAt.plus(cron.periodAround(lastCompletedAt)).plus(grace());
        }
        Instant firstTick = cron.next(armedAt);
        return firstTick == null ? null : firstTick.plus(grace());
    }
}
