package io.databasement.catalog.admission;

import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A sweep of the lease watch over job rows: each row is changed in a transaction of its own; a row that a concurrent
 * writer (a report, a claim, a cancel, another replica's watch) changed first is left to that writer's decision.
 */
public final class JobSweep {

    /**
     * @param change changes one job and says whether it did
     * @return how many jobs were changed
     */
    public static int each(TransactionTemplate tx, List<UUID> ids, Predicate<UUID> change) {
        int changed = 0;
        for (UUID id : ids) {
            try {
                changed += Boolean.TRUE.equals(tx.execute(status -> change.test(id))) ? 1 : 0;
            } catch (OptimisticLockingFailureException e) {
                // someone else got there first: it decided
            }
        }
        return changed;
    }

    private JobSweep() {
    }
}
