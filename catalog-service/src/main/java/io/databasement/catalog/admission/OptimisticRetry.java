package io.databasement.catalog.admission;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A decision on a job row (a cancel, a claim) that lost an optimistic-lock race to a concurrent change (a report,
 * a claim, another replica) is taken again on the row as it is then, in a new transaction, up to {@link #TRIES}
 * times; after that the conflict is the caller's to answer.
 */
public final class OptimisticRetry {

    static final int TRIES = 3;

    public static <T> T decide(TransactionTemplate tx, TransactionCallback<T> decision) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(decision);
            } catch (OptimisticLockingFailureException e) {
                if (attempt == TRIES) {
                    throw e;
                }
            }
        }
    }

    private OptimisticRetry() {
    }
}
