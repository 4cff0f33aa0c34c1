package io.databasement.catalog.snapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Re-sends delete commands that storage has not answered in time (see {@link SnapshotDeletions#resendDue()}). */
@Component
class DeletionSweep {

    private static final Logger log = LoggerFactory.getLogger(DeletionSweep.class);

    private final SnapshotDeletions deletions;

    DeletionSweep(SnapshotDeletions deletions) {
        this.deletions = deletions;
    }

    @Scheduled(initialDelayString = "${dbm.catalog.deletion.sweep-interval:PT30S}",
            fixedDelayString = "${dbm.catalog.deletion.sweep-interval:PT30S}")
    void resendDue() {
        int sent = deletions.resendDue();
        if (sent > 0) {
            log.warn("deletion sweep: sent {} delete command(s) again (storage has not confirmed yet)", sent);
        }
    }
}
