package io.databasement.catalog.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A schedule with its state.
 *
 * @param nextFireAt      the next tick (null while disabled)
 * @param lastFiredAt     the last tick fired (or manual run)
 * @param lastCompletedAt the newest COMPLETED snapshot of the schedule
 * @param health          NEW, OK, MISSED or FAILING
 * @param missedSince     when the current missed episode was detected (null unless MISSED)
 * @param expectedBy      the deadline of the dead-man's switch: a snapshot must complete by then
 */
public record ScheduleView(UUID id, String name, UUID serverId, List<String> databases, UUID volumeId,
                           String compression, int compressionLevel, String cron, String timeZone,
                           Map<String, Object> retention, boolean verify, int graceMinutes, String webhookUrl,
                           boolean enabled, Instant nextFireAt, Instant lastFiredAt, Instant lastCompletedAt,
                           Instant lastFailedAt, ScheduleHealth health, Instant missedSince, Instant expectedBy,
                           Instant createdAt, Instant updatedAt, int version) {

    static ScheduleView of(Schedule s) {
        Instant expectedBy = s.health() == ScheduleHealth.MISSED ? s.missedDeadline()
                : s.enabled() ? s.deadline(s.parsedCron()) : null;
        return new ScheduleView(s.id(), s.name(), s.serverId(), s.databases(), s.volumeId(), s.compression(),
                s.compressionLevel(), s.cron(), s.timeZone(), s.retention() == null ? null : s.retention().toJson(),
                s.verify(), s.graceMinutes(), s.webhookUrl(), s.enabled(), s.nextFireAt(), s.lastFiredAt(),
                s.lastCompletedAt(), s.lastFailedAt(), s.health(), s.missedSince(), expectedBy, s.createdAt(),
                s.updatedAt(), s.version());
    }
}
