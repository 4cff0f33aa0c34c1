package io.databasement.catalog.admission;

/** What a job does; each kind has one {@link JobHandler}. */
public enum JobKind {
    BACKUP("backup"), RESTORE("restore");

    private final String wire;

    JobKind(String wire) {
        this.wire = wire;
    }

    /** As stored in {@code job_slots.kind}. */
    public String wire() {
        return wire;
    }

    static JobKind fromWire(String wire) {
        for (JobKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown job kind " + wire);
    }
}
