package io.databasement.catalog.snapshot;

import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.Verification;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The snapshot's side of a verification (the restore side runs it as a VERIFY restore): what it expects, and
 * what the snapshot says about it. Every change rides the caller's transaction, with the public
 * {@code snapshot.verified} event when one ends.
 */
@Component
public class SnapshotVerifications {

    private static final Logger log = LoggerFactory.getLogger(SnapshotVerifications.class);

    private final SnapshotRepository snapshots;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;

    SnapshotVerifications(SnapshotRepository snapshots, ApplicationEventPublisher events, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.events = events;
        this.meters = meters;
    }

    /** The table statistics a verification compares with; null for a snapshot taken before they were counted. */
    public List<TableStats> expectedTables(Snapshot snapshot) {
        return VerificationDetail.tableStats(snapshot.tableStats());
    }

    /**
     * Restore {@code restoreId} now verifies the snapshot.
     *
     * @throws CatalogException 422 if the snapshot is not COMPLETED, 409 if a verification is under way
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void requested(UUID snapshotId, UUID restoreId) {
        Snapshot snapshot = snapshots.findById(snapshotId).orElseThrow(() -> CatalogException.notFound("snapshot", snapshotId));
        if (snapshot.verificationUnderWay()) {
            throw CatalogException.conflict("verification-under-way", "Verification under way", "snapshot " + snapshotId
                    + " is being verified by restore " + snapshot.verificationRestoreId() + "; wait for it to end");
        }
        if (!snapshot.verificationRequested(restoreId)) {
            throw new CatalogException(HttpStatus.UNPROCESSABLE_CONTENT, "snapshot-not-completed", "Snapshot not verifiable",
                    "snapshot " + snapshotId + " is " + snapshot.status() + "; only a COMPLETED snapshot can be verified");
        }
        snapshots.save(snapshot);
    }

    /** A verification asked for without a user to answer (a schedule's) could not start: record why, tell the public. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void refused(UUID snapshotId, String verifiedOn, String reason, Instant now) {
        Snapshot snapshot = snapshots.findById(snapshotId).orElse(null);
        VerificationDetail detail = VerificationDetail.failed(verifiedOn, reason);
        if (snapshot == null || !snapshot.verificationRefused(now, detail.toJson())) {
            return;
        }
        Snapshot saved = snapshots.save(snapshot);
        events.publishEvent(SnapshotPublicEvents.verified(saved, detail, now));
        meters.counter("dbm.snapshot.verifications", "result", "failed").increment();
        log.warn("snapshot {} could not be verified: {}", snapshotId, reason);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void running(UUID snapshotId, UUID restoreId) {
        snapshots.findById(snapshotId).filter(s -> s.verificationRunning(restoreId)).ifPresent(snapshots::save);
    }

    /**
     * The verification ended: {@code result} when the scratch restore ran (passed or not), else {@code error}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void ended(UUID snapshotId, UUID restoreId, String verifiedOn, Verification result, String error, Instant at,
                      long durationMs, Instant now) {
        Snapshot snapshot = snapshots.findById(snapshotId).orElse(null);
        VerificationDetail detail = result != null ? VerificationDetail.ran(verifiedOn, result)
                : VerificationDetail.failed(verifiedOn, error);
        boolean passed = result != null && result.passed();
        if (snapshot == null || !snapshot.verificationEnded(restoreId, passed, at, durationMs, detail.toJson())) {
            log.info("verification {} of snapshot {} ended, but it is no longer the snapshot's verification", restoreId, snapshotId);
            return;
        }
        Snapshot saved = snapshots.save(snapshot);
        events.publishEvent(SnapshotPublicEvents.verified(saved, detail, now));
        meters.counter("dbm.snapshot.verifications", "result", passed ? "passed" : "failed").increment();
        if (passed) {
            log.info("snapshot {} verified on {}: {} table(s), {} row(s) match, in {} ms", snapshotId, verifiedOn,
                    detail.tablesCompared(), detail.rowsCompared(), durationMs);
        } else {
            log.warn("snapshot {} FAILED verification on {}: {}", snapshotId, verifiedOn,
                    error != null ? error : detail.mismatches().size() + " table(s) differ: " + detail.mismatches());
        }
    }
}
