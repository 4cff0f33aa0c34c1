package io.databasement.engines;

/**
 * One restore's hold on its target database: the lock (taken when this is opened and held until
 * {@link #close()}), the staging database the snapshot is loaded into, and the swap that puts it in the
 * target's place. Obtained from {@link DatabaseEngine#restoreTarget}; one per attempt, used by one thread.
 */
public interface RestoreTarget extends AutoCloseable {

    /** The database the snapshot is restored into. */
    String targetDatabase();

    /** Where the restore tool loads the snapshot; unique per attempt. */
    String stagingDatabase();

    /** Whether the target database existed when the lock was taken. */
    boolean targetExisted();

    /** Creates the (empty) staging database, like the target's encoding and collation where it exists. */
    void createStaging() throws EngineException;

    /** Drops the staging database if it is there; never fails (a leftover is dropped by the next {@link #close()}). */
    void dropStaging();

    /**
     * Replaces the target's content with the staging database's.
     *
     * @throws SwapException with {@link SwapException#targetTouched()} false if the target is as it was
     */
    void swap() throws SwapException;

    /** Drops what is left of staging and the old content (unless the old content is all that is left), releases the lock. */
    @Override
    void close();
}
