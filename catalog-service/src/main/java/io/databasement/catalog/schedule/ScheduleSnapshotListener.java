package io.databasement.catalog.schedule;

import io.databasement.catalog.snapshot.Snapshot;
import io.databasement.catalog.snapshot.SnapshotEnded;
import io.databasement.catalog.snapshot.SnapshotVerificationEnded;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.SnapshotVerified;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a schedule does when one of its snapshots ends, once the end is committed. Spring Modulith records the
 * event for this listener with the change and marks it done when this returns, so a crash here is retried
 * (Housekeeping resubmits; everything below is safe to repeat). Runs on the replica that projected the report.
 *
 * <ul>
 *   <li>COMPLETED: health OK (ending a missed episode, told to the webhook as {@code schedule.recovered}),
 *       verification if the schedule asks for it, then retention.</li>
 *   <li>FAILED: health FAILING (unless MISSED) and the webhook is told ({@code snapshot.failed}).</li>
 *   <li>A failed verification: the same, the webhook told {@code snapshot.verified} with the result.</li>
 * </ul>
 */
@Component
class ScheduleSnapshotListener {

    private static final Logger log = LoggerFactory.getLogger(ScheduleSnapshotListener.class);

    private final SnapshotService snapshots;
    private final ScheduleStore store;
    private final WebhookOutbox webhooks;
    private final ScheduleRetention retention;
    private final ObjectProvider<SnapshotVerifier> verifier;
    private final TransactionTemplate tx;
    private final Clock clock;

    ScheduleSnapshotListener(SnapshotService snapshots, ScheduleStore store, WebhookOutbox webhooks,
                             ScheduleRetention retention, ObjectProvider<SnapshotVerifier> verifier,
                             TransactionTemplate tx, Clock clock) {
        this.snapshots = snapshots;
        this.store = store;
        this.webhooks = webhooks;
        this.retention = retention;
        this.verifier = verifier;
        this.tx = tx;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(SnapshotEnded event) {
        Snapshot snapshot = snapshots.find(event.snapshotId()).orElse(null);
        if (snapshot == null || snapshot.scheduleId() == null) {
            return;
        }
        Schedule schedule = store.find(snapshot.scheduleId()).orElse(null);
        if (schedule == null) {
            return; // the schedule was deleted; its snapshots stay as they are
        }
        if (event.completed()) {
            completed(schedule, snapshot);
        } else {
            failed(schedule, snapshot);
        }
    }

    void completed(Schedule schedule, Snapshot snapshot) {
        Instant now = now();
        Instant at = snapshot.completedAt() != null ? snapshot.completedAt() : now;
        tx.executeWithoutResult(status -> {
            store.completed(schedule.id(), at);
            if (schedule.health() == ScheduleHealth.MISSED) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("scheduleId", schedule.id());
                data.put("scheduleName", schedule.name());
                data.put("missedSince", schedule.missedSince());
                data.put("snapshotId", snapshot.id());
                data.put("database", snapshot.database());
                data.put("completedAt", at);
                webhooks.enqueue(schedule, WebhookOutbox.SCHEDULE_RECOVERED, data, now);
                log.info("schedule '{}' recovered: snapshot {} completed", schedule.name(), snapshot.id());
            }
        });
        if (schedule.verify()) {
            SnapshotVerifier target = verifier.getIfAvailable();
            if (target == null) {
                log.warn("schedule '{}' asks to verify snapshot {}, but no SnapshotVerifier is wired: skipped",
                        schedule.name(), snapshot.id());
            } else {
                try {
                    target.requestVerification(snapshot.id());
                } catch (RuntimeException e) {
                    // not retried from here: a retry of this listener would repeat the webhook above
                    log.error("schedule '{}': verification of snapshot {} could not be asked for", schedule.name(),
                            snapshot.id(), e);
                }
            }
        }
        retention.apply(schedule);
    }

    void failed(Schedule schedule, Snapshot snapshot) {
        Instant now = now();
        Instant at = snapshot.completedAt() != null ? snapshot.completedAt() : now;
        tx.executeWithoutResult(status -> {
            store.failed(schedule.id(), at);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("snapshotId", snapshot.id());
            data.put("scheduleId", schedule.id());
            data.put("scheduleName", schedule.name());
            data.put("serverId", snapshot.serverId());
            data.put("serverName", snapshot.serverName());
            data.put("database", snapshot.database());
            data.put("reason", snapshot.error());
            data.put("failedAt", at);
            webhooks.enqueue(schedule, MessageTypes.SNAPSHOT_FAILED.ceType(), data, now);
        });
        log.warn("schedule '{}': snapshot {} of '{}' failed: {}", schedule.name(), snapshot.id(), snapshot.database(),
                snapshot.error());
    }

    /**
     * A snapshot of the schedule failed its verification: it does not restore, or restores different data. That is
     * a failed backup: FAILING, and the webhook is told with the verification's result.
     */
    @ApplicationModuleListener
    void on(SnapshotVerificationEnded event) {
        SnapshotVerified result = event.payload();
        if (result.passed()) {
            return;
        }
        Snapshot snapshot = snapshots.find(result.snapshotId()).orElse(null);
        Schedule schedule = snapshot == null || snapshot.scheduleId() == null ? null
                : store.find(snapshot.scheduleId()).orElse(null);
        if (schedule == null) {
            return;
        }
        Instant now = now();
        tx.executeWithoutResult(status -> {
            store.failed(schedule.id(), result.verifiedAt() != null ? result.verifiedAt() : now);
            webhooks.enqueue(schedule, MessageTypes.SNAPSHOT_VERIFIED.ceType(), result, now);
        });
        log.warn("schedule '{}': snapshot {} of '{}' failed verification: {}", schedule.name(), snapshot.id(),
                snapshot.database(), result.error() != null ? result.error() : result.mismatches());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
