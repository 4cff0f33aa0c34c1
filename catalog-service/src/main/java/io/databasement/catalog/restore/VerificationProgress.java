package io.databasement.catalog.restore;

import io.databasement.catalog.snapshot.SnapshotVerifications;
import io.databasement.contracts.RestoreMode;
import io.databasement.contracts.Verification;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Carries a VERIFY restore's status changes over to its snapshot, in the transaction that decided them. */
@Component
class VerificationProgress {

    private final SnapshotVerifications verifications;

    VerificationProgress(SnapshotVerifications verifications) {
        this.verifications = verifications;
    }

    /**
     * @param restore the restore just saved with a new status
     * @param result  the worker's comparison, from its completed report (null otherwise)
     */
    void follow(Restore restore, Verification result, Instant now) {
        if (restore.mode() != RestoreMode.VERIFY || restore.snapshotId() == null) {
            return;
        }
        long durationMs = restore.durationMs() == null ? 0 : restore.durationMs();
        switch (restore.status()) {
            case PENDING -> { }
            case IN_PROGRESS -> verifications.running(restore.snapshotId(), restore.id());
            case COMPLETED -> {
                if (result != null) {
                    verifications.ended(restore.snapshotId(), restore.id(), restore.targetServerName(), result, null,
                            restore.completedAt(), durationMs, now);
                } else {
                    verifications.ended(restore.snapshotId(), restore.id(), restore.targetServerName(), null,
                            "the restore worker restored the scratch database but reported no comparison (an older worker?)",
                            restore.completedAt(), durationMs, now);
                }
            }
            case FAILED, CANCELLED -> verifications.ended(restore.snapshotId(), restore.id(), restore.targetServerName(), null,
                    restore.error(), restore.completedAt() != null ? restore.completedAt() : now, durationMs, now);
        }
    }
}
