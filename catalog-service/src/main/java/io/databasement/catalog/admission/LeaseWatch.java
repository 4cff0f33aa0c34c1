package io.databasement.catalog.admission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finds attempts that went silent (ARCHITECTURE "Flows" 4). A worker that dies leaves its command unacked;
 * the replica Kafka hands it to is refused while the dead attempt's lease runs and drops it. So the catalog
 * re-sends the command once the lease is over, and fails the job after {@code dbm.catalog.max-attempts}.
 * Safe on every replica at once: each change is an optimistic-locked save.
 */
@Component
class LeaseWatch {

    private static final Logger log = LoggerFactory.getLogger(LeaseWatch.class);

    private final Admission admission;

    LeaseWatch(Admission admission) {
        this.admission = admission;
    }

    @Scheduled(initialDelayString = "PT15S", fixedDelayString = "PT15S")
    void expireLostAttempts() {
        for (JobHandler handler : admission.handlers()) {
            int changed = handler.expireLostAttempts();
            if (changed > 0) {
                log.warn("lease watch: {} {} job(s) lost their attempt", changed, handler.kind().wire());
            }
        }
    }
}
