package io.databasement.catalog.schedule;

/** How a schedule is doing, as its view, its metric and its alerts tell. */
public enum ScheduleHealth {
    /** No snapshot of it has ended yet, and its first deadline has not passed. */
    NEW,
    /** Its most recent ended snapshot completed, within its period plus grace time. */
    OK,
    /** No COMPLETED snapshot within its period plus grace time (dead-man's switch); until one completes. */
    MISSED,
    /** Its most recent ended snapshot failed (and it is not MISSED). */
    FAILING
}
