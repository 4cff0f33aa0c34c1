package io.databasement.contracts;

/**
 * Every Kafka topic of Databasement. No other module spells a topic name.
 * Commands and reports are keyed by job id; {@link #VOLUMES} by volume id (compacted).
 */
public final class Topics {

    /** catalog → backup-worker: {@link BackupRequested}. */
    public static final String BACKUP_COMMANDS = "dbm.backup.commands";
    /** backup-worker → catalog: started, progress (the heartbeat), completed, failed. */
    public static final String BACKUP_REPORTS = "dbm.backup.reports";
    /** catalog → restore-worker. */
    public static final String RESTORE_COMMANDS = "dbm.restore.commands";
    /** restore-worker → catalog. */
    public static final String RESTORE_REPORTS = "dbm.restore.reports";
    /** catalog → storage-service: delete object, sweep orphans. Keyed by request id (the snapshot id). */
    public static final String STORAGE_COMMANDS = "dbm.storage.commands";
    /** storage-service → catalog. */
    public static final String STORAGE_REPORTS = "dbm.storage.reports";
    /** storage-service → anyone, compacted: the public view of each volume; a tombstone on delete. */
    public static final String VOLUMES = "dbm.volumes";
    /**
     * catalog → every backup-worker and restore-worker process (each consumes it with a group of its own, a
     * broadcast): stop a running job. Keyed by job id.
     */
    public static final String JOB_CANCELLATIONS = "dbm.job.cancellations";
    /** public: other services ask the catalog for a restore. */
    public static final String RESTORE_REQUESTS = "dbm.restore.requests";
    /** public: catalog → anyone, restore status changes with the request's correlation id. */
    public static final String RESTORE_EVENTS = "dbm.restore.events";
    /** public: catalog → anyone, snapshot status changes. */
    public static final String SNAPSHOT_EVENTS = "dbm.snapshot.events";
    /** public: catalog → anyone, schedule alerts (missed backups), keyed by schedule id. */
    public static final String SCHEDULE_EVENTS = "dbm.schedule.events";

    /** Partitions of command and report topics: enough for real parallelism across worker replicas. */
    public static final int PARTITIONS = 12;

    /** Dead-letter topic for a consumer group: {@code error.<topic>.<group>}. */
    public static String deadLetter(String topic, String group) {
        return "error." + topic + "." + group;
    }

    private Topics() {
    }
}
