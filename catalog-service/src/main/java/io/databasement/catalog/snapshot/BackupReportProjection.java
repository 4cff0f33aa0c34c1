package io.databasement.catalog.snapshot;

import io.databasement.catalog.admission.Admission;
import io.databasement.catalog.admission.JobKind;
import io.databasement.catalog.admission.JobMetrics;
import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.messaging.PoisonMessageException;
import io.databasement.catalog.messaging.ProcessedMessages;
import io.databasement.contracts.BackupCancelled;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.MessageType;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Projects backup workers' reports onto snapshots: idempotent (by {@code ce_id}, recorded in the same
 * transaction), only the current attempt's reports count, and status moves only forward. The end of a
 * snapshot frees its admission slot.
 */
@Component
public class BackupReportProjection {

    private static final Logger log = LoggerFactory.getLogger(BackupReportProjection.class);

    private final SnapshotRepository snapshots;
    private final ProcessedMessages processed;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Admission admission;
    private final JobMetrics jobMetrics;

    BackupReportProjection(SnapshotRepository snapshots, ProcessedMessages processed, JsonMapper json, Clock clock,
                           ApplicationEventPublisher events, Admission admission, JobMetrics jobMetrics) {
        this.admission = admission;
        this.jobMetrics = jobMetrics;
        this.snapshots = snapshots;
        this.processed = processed;
        this.json = json;
        this.clock = clock;
        this.events = events;
    }

    /**
     * @throws PoisonMessageException for a message that can never be applied (no id, unknown type, bad JSON)
     */
    @Transactional
    public void apply(InboundMessage message) {
        ProcessedMessages.FirstDelivery first = processed.firstDelivery(message, json, clock).orElse(null);
        if (first == null) {
            log.debug("report {} already applied, skipping", message.ceId());
            return;
        }
        MessageType<?> type = first.type();
        Object report = first.report();
        Instant now = first.now();
        Report r = Report.of(report, now);
        if (r.jobId() == null) {
            throw new PoisonMessageException("the report has no jobId");
        }
        Snapshot snapshot = snapshots.findById(r.jobId()).orElse(null);
        if (snapshot == null) {
            log.warn("report {} ({}) for unknown job {} ignored", message.ceId(), type.ceType(), r.jobId());
            return;
        }
        if (!snapshot.isCurrent(r.attemptId(), report instanceof BackupStarted)) {
            log.info("report {} ({}) of attempt {} ignored: job {} is at attempt {}", message.ceId(), type.ceType(),
                    r.attemptId(), r.jobId(), snapshot.attemptId());
            return;
        }
        boolean endedBefore = snapshot.status().isTerminal();
        if (!r.change().test(snapshot)) {
            log.info("report {} ({}) ignored: job {} is already {}", message.ceId(), type.ceType(), r.jobId(), snapshot.status());
            return;
        }
        if (report instanceof BackupCompleted completed && completed.tables() != null) {
            snapshot.recordTableStats(VerificationDetail.tableStatsJson(completed.tables()));
        }
        Snapshot saved = snapshots.save(snapshot);
        SnapshotPublicEvents.ended(saved, now).ifPresent(events::publishEvent);
        if (saved.status().isTerminal() && !endedBefore) {
            jobMetrics.finished(JobKind.BACKUP, saved.status().name());
        }
        if (saved.status().isTerminal()) {
            // in this transaction: the next job of the database (or server) is dispatched with the end of this one
            admission.release(saved.id(), now);
        }
    }

    /** A report reduced to what the projection needs: whose it is, and the change it asks for. */
    private record Report(UUID jobId, UUID attemptId, Predicate<Snapshot> change) {

        static Report of(Object report, Instant now) {
            if (report instanceof BackupStarted r) {
                return new Report(r.jobId(), r.attemptId(), s -> s.started(r, now));
            }
            if (report instanceof BackupProgress r) {
                return new Report(r.jobId(), r.attemptId(), s -> s.progressed(r, now));
            }
            if (report instanceof BackupCompleted r) {
                return new Report(r.jobId(), r.attemptId(), s -> s.completed(r, now));
            }
            if (report instanceof BackupFailed r) {
                return new Report(r.jobId(), r.attemptId(), s -> s.failed(r, now));
            }
            if (report instanceof BackupCancelled r) {
                return new Report(r.jobId(), r.attemptId(), s -> s.cancelled(r, now));
            }
            throw new PoisonMessageException(report.getClass().getSimpleName() + " is not a backup report");
        }
    }
}
