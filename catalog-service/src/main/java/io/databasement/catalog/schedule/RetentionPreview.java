package io.databasement.catalog.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code GET /api/v1/schedules/{id}/retention-preview}: what retention would do now, and why; nothing is deleted. */
public record RetentionPreview(UUID scheduleId, Map<String, Object> retention, String timeZone, Instant evaluatedAt,
                               List<RetentionPlan.Decision> decisions) {
}
