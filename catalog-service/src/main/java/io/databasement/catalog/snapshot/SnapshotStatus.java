package io.databasement.catalog.snapshot;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Life of a snapshot. Status moves only forward; COMPLETED, FAILED and CANCELLED end the backup job, and any of
 * them may then become DELETING (its file is being removed; the record goes once storage confirms).
 */
public enum SnapshotStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, DELETING;

    public static final Set<SnapshotStatus> TERMINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED);
    public static final Set<SnapshotStatus> OPEN = EnumSet.of(PENDING, RUNNING);

    public Set<SnapshotStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.of(DELETING);
            case DELETING -> EnumSet.noneOf(SnapshotStatus.class);
        };
    }

    public boolean canMoveTo(SnapshotStatus target) {
        return next().contains(target);
    }

    /** Whether the backup job has ended (COMPLETED, FAILED or CANCELLED); a DELETING snapshot's job ended before. */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** Lenient on case, since it comes from a query string. */
    public static Optional<SnapshotStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(value)).findFirst();
    }
}
