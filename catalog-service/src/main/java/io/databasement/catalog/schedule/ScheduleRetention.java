package io.databasement.catalog.schedule;

import io.databasement.catalog.snapshot.Snapshot;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.catalog.snapshot.VerificationStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Applies {@link RetentionPlan} to a schedule's snapshots: after each completed snapshot of the schedule and once a
 * day. Deletions go through {@link SnapshotDeleter}; asking twice (two replicas, or the daily run after the hook) is
 * harmless, and a snapshot already DELETING is not asked for again.
 */
@Component
public class ScheduleRetention {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRetention.class);

    private final SnapshotService snapshots;
    private final ScheduleStore store;
    private final ObjectProvider<SnapshotDeleter> deleter;
    private final Clock clock;

    ScheduleRetention(SnapshotService snapshots, ScheduleStore store, ObjectProvider<SnapshotDeleter> deleter,
                      Clock clock) {
        this.snapshots = snapshots;
        this.store = store;
        this.deleter = deleter;
        this.clock = clock;
    }

    public List<RetentionPlan.Decision> plan(Schedule schedule, Instant now) {
        List<RetentionPlan.Candidate> candidates = snapshots.ofSchedule(schedule.id()).stream()
                .map(ScheduleRetention::candidate).toList();
        return RetentionPlan.plan(candidates, schedule.retention(), now, ZoneId.of(schedule.timeZone()));
    }

    /** @return the snapshots whose deletion was asked for */
    public List<UUID> apply(Schedule schedule) {
        if (schedule.retention() == null) {
            return List.of();
        }
        List<RetentionPlan.Decision> plan = plan(schedule, clock.instant());
        List<RetentionPlan.Decision> deletions = plan.stream().filter(d -> d.action() == RetentionPlan.Action.DELETE).toList();
        if (deletions.isEmpty()) {
            return List.of();
        }
        SnapshotDeleter target = deleter.getIfAvailable();
        if (target == null) {
            log.warn("schedule '{}': retention would delete {} snapshot(s), but no SnapshotDeleter is wired: skipped",
                    schedule.name(), deletions.size());
            return List.of();
        }
        for (RetentionPlan.Decision d : deletions) {
            try {
                target.requestDeletion(d.snapshotId(), "retention of schedule '" + schedule.name() + "': " + d.reason());
                log.info("schedule '{}': snapshot {} of {} ({}) {}", schedule.name(), d.snapshotId(), d.database(),
                        d.createdAt(), d.reason());
            } catch (RuntimeException e) {
                // the next run (after the next completion, or the daily one) asks again
                log.warn("schedule '{}': deletion of snapshot {} could not be asked for: {}", schedule.name(),
                        d.snapshotId(), e.getMessage());
            }
        }
        return deletions.stream().map(RetentionPlan.Decision::snapshotId).toList();
    }

    /** The daily run, over every schedule with a policy (disabled ones too: their snapshots still age). */
    public int applyAll() {
        int asked = 0;
        for (Schedule schedule : store.all()) {
            try {
                asked += apply(schedule).size();
            } catch (RuntimeException e) {
                log.error("retention of schedule '{}' failed", schedule.name(), e);
            }
        }
        return asked;
    }

    static RetentionPlan.Candidate candidate(Snapshot s) {
        boolean verifying = s.verificationStatus() == VerificationStatus.PENDING
                || s.verificationStatus() == VerificationStatus.RUNNING;
        return new RetentionPlan.Candidate(s.id(), s.database(), s.createdAt(), kind(s), s.locked(), verifying);
    }

    private static RetentionPlan.Kind kind(Snapshot s) {
        // by name: DELETING is the deletion feature's status, and a requested deletion counts as under way
        if (s.deletionRequestedAt() != null || "DELETING".equals(s.status().name())) {
            return RetentionPlan.Kind.DELETING;
        }
        return switch (s.status().name()) {
            case "COMPLETED" -> RetentionPlan.Kind.COMPLETED;
            // a cancelled snapshot has no file either: retention clears it away like a failed one
            case "FAILED", "CANCELLED" -> RetentionPlan.Kind.FAILED;
            default -> RetentionPlan.Kind.OPEN;
        };
    }
}
