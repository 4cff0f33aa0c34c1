package io.databasement.catalog.restore;

import io.databasement.catalog.admission.Admission;
import io.databasement.catalog.admission.JobKind;
import io.databasement.catalog.admission.JobMetrics;
import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.messaging.PoisonMessageException;
import io.databasement.catalog.messaging.ProcessedMessages;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.RestoreJobCancelled;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobStarted;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Projects restore workers' reports onto restores, like {@code BackupReportProjection}: idempotent by
 * {@code ce_id}, current attempt only, forward only. A status change it decides goes public with the request's
 * correlation id; the end of a restore frees its admission slot and dispatches what waited for it.
 */
@Component
class RestoreReportProjection {

    private static final Logger log = LoggerFactory.getLogger(RestoreReportProjection.class);

    private final RestoreRepository restores;
    private final ProcessedMessages processed;
    private final Admission admission;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final VerificationProgress verificationProgress;
    private final JobMetrics jobMetrics;

    RestoreReportProjection(RestoreRepository restores, ProcessedMessages processed, Admission admission,
                            ApplicationEventPublisher events, JsonMapper json, Clock clock,
                            VerificationProgress verificationProgress, JobMetrics jobMetrics) {
        this.verificationProgress = verificationProgress;
        this.jobMetrics = jobMetrics;
        this.restores = restores;
        this.processed = processed;
        this.admission = admission;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** @throws PoisonMessageException for a message that can never be applied */
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
        Report r = Report.of(report);
        if (r.jobId() == null) {
            // rolls back the processed mark with everything else: the message goes to the dead letters
            throw new PoisonMessageException("the report has no jobId");
        }
        Restore restore = restores.findById(r.jobId()).orElse(null);
        if (restore == null) {
            log.warn("report {} ({}) for unknown restore {} ignored", message.ceId(), type.ceType(), r.jobId());
            return;
        }
        if (!restore.isCurrent(r.attemptId(), report instanceof RestoreJobStarted)) {
            log.info("report {} ({}) of attempt {} ignored: restore {} is at attempt {}", message.ceId(), type.ceType(),
                    r.attemptId(), r.jobId(), restore.attemptId());
            return;
        }
        RestoreStatus before = restore.status();
        boolean startedBefore = restore.startedAt() != null;
        if (!r.change().test(restore, now)) {
            log.info("report {} ({}) ignored: restore {} is already {}", message.ceId(), type.ceType(), r.jobId(), restore.status());
            return;
        }
        Restore saved = restores.save(restore);
        // public: a new status, or the first start of a claimed restore (a claim moves it to IN_PROGRESS silently)
        boolean firstStart = report instanceof RestoreJobStarted && !startedBefore;
        if (saved.status() != before || firstStart) {
            RestoreEvents.changed(saved, now).ifPresent(events::publishEvent);
        }
        if (saved.status() != before || firstStart) {
            verificationProgress.follow(saved, report instanceof RestoreJobCompleted c ? c.verification() : null, now);
        }
        if (saved.status().isTerminal() && !before.isTerminal()) {
            jobMetrics.finished(JobKind.RESTORE, saved.status().name());
        }
        if (saved.status().isTerminal()) {
            admission.release(saved.id(), now);
        }
    }

    private interface Change {
        boolean test(Restore restore, Instant now);
    }

    private record Report(UUID jobId, UUID attemptId, Change change) {

        static Report of(Object report) {
            if (report instanceof RestoreJobStarted r) {
                return new Report(r.jobId(), r.attemptId(), (s, now) -> s.started(r, now));
            }
            if (report instanceof RestoreJobProgress r) {
                return new Report(r.jobId(), r.attemptId(), (s, now) -> s.progressed(r, now));
            }
            if (report instanceof RestoreJobCompleted r) {
                return new Report(r.jobId(), r.attemptId(), (s, now) -> s.completed(r, now));
            }
            if (report instanceof RestoreJobFailed r) {
                return new Report(r.jobId(), r.attemptId(), (s, now) -> s.failed(r, now));
            }
            if (report instanceof RestoreJobCancelled r) {
                return new Report(r.jobId(), r.attemptId(), (s, now) -> s.cancelled(r, now));
            }
            throw new PoisonMessageException(report.getClass().getSimpleName() + " is not a restore report");
        }
    }
}
